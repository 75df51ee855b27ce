"""SMS and voice calls through Twilio's REST API (the ``twilio`` package), and Twilio's
webhooks back to us: the SMS reply, the keypress of a call, and delivery status callbacks."""
