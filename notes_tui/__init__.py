"""notes-tui: keyboard-first session notes for neuromuscular massage therapists."""

__version__ = "0.1.0"
