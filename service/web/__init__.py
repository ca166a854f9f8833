"""Pages for people: one blueprint per surface, each registering itself with ``init_app``."""
