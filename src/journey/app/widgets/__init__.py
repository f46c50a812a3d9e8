"""The app's widgets; each shows one part of what the engine says."""
