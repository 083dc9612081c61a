package reconcile

import (
	"context"
	"errors"
)

// ErrStopped is the result of a write that was not sent because the
// process is stopping: the cycle ends after the write in flight, and what
// was not sent is planned again next time.
var ErrStopped = errors.New("not sent: stopping")

type stopKey struct{}

// WithStop returns a context that reports Stopping once stop is closed. A
// cycle run with it finishes the write in flight, sends nothing more,
// records itself and returns; unlike cancelling the context (which the
// cycle timeout does), it never cuts a write off with its outcome unknown.
func WithStop(ctx context.Context, stop <-chan struct{}) context.Context {
	return context.WithValue(ctx, stopKey{}, stop)
}

// Stopping reports whether ctx carries a closed stop channel (WithStop).
// Writers check it between writes.
func Stopping(ctx context.Context) bool {
	stop, _ := ctx.Value(stopKey{}).(<-chan struct{})
	if stop == nil {
		return false
	}
	select {
	case <-stop:
		return true
	default:
		return false
	}
}
