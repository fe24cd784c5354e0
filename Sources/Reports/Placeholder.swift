// Placeholder until the Reports module lands; delete when adding real sources.
