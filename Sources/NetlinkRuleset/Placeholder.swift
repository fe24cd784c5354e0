// Placeholder until the NetlinkRuleset module lands; delete when adding real sources.
