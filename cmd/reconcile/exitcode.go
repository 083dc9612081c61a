package main

// Exit codes of every command. They are part of the interface: scripts and
// schedulers (a Kubernetes CronJob running `reconcile --now`) act on them.
const (
	exitClean   = 0 // done; both sides agree
	exitFailed  = 1 // a read or a write failed, or a system could not be reached
	exitUsage   = 2 // bad flags or invalid configuration; nothing was done
	exitRefused = 3 // a safety check refused deletions; see --force-deletions
	exitDrift   = 4 // the cycle finished but left records that still differ
)
