"""Push notifications through ntfy (ntfy.sh or a self-hosted server), a topic per person."""
