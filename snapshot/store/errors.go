package store

import "errors"

// These errors can be returned when opening a state file.
var (
	// ErrLocked is returned when the state file is held by another woonexo
	// process (or another Store in this one) and its lock could not be
	// taken within Options.LockTimeout.
	ErrLocked = errors.New("file locked")

	// ErrSchema is returned when the state file's schema version is missing,
	// unknown or newer than this build understands. The file is left as it
	// is: it is never reset silently.
	ErrSchema = errors.New("unsupported state file schema")
)

// These errors can be returned by transaction methods.
var (
	// ErrLinkTaken is returned when a link would give a WooCommerce or
	// NexoPOS id a second partner: each id is linked to at most one id on
	// the other side.
	ErrLinkTaken = errors.New("id already linked to another record")

	// ErrNoLink is returned when a baseline is written for a pair that is
	// not linked: every baseline belongs to a link.
	ErrNoLink = errors.New("no such link")

	// ErrNotFound is returned when a journal entry named by its sequence
	// number does not exist.
	ErrNotFound = errors.New("not found")

	// ErrCorrupt is returned when a stored value cannot be decoded or the
	// buckets contradict one another. Check reports every such problem.
	ErrCorrupt = errors.New("state file is inconsistent")

	// ErrInvalid is returned when an argument cannot be stored: an empty id,
	// an unknown side or kind, a reserved meta key.
	ErrInvalid = errors.New("invalid argument")
)
