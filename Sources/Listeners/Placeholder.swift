// Placeholder until the Listeners module lands; delete when adding real sources.
