// Placeholder until the Policy module lands; delete when adding real sources.
