package reconcile

import "errors"

// ErrJournalUnresolved is returned when a create from an earlier run has an
// unknown outcome and its target could not be searched: the cycle stops
// rather than risk creating the record twice.
var ErrJournalUnresolved = errors.New("a create from an earlier run could not be checked")

func asKind(err error, target *interface{ ErrorKind() string }) bool {
	return errors.As(err, target)
}

// mayHaveHappened reports whether a failed create may still have been
// carried out (the request may have reached the server): its journal entry
// stays pending and is resolved by lookup before any retry.
func mayHaveHappened(err error) bool {
	if errors.Is(err, ErrStopped) {
		return false
	}
	switch kindOf(err) {
	case "transient", "unknown":
		return true
	}
	return false
}
