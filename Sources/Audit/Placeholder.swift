// Placeholder until the Audit module lands; delete when adding real sources.
