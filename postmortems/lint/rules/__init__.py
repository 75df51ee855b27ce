"""One module per kind of blame; ``postmortems.lint.blame`` runs them all on a sentence."""
