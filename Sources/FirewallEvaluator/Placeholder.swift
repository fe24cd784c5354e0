// Placeholder; delete when adding real sources.
