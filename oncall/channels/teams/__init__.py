"""Microsoft Teams through Workflows ("When a Teams webhook request is received") webhooks."""
