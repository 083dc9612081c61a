package main

import (
	"github.com/woonexo/woonexo/reconcile"
	"github.com/woonexo/woonexo/snapshot/store"
)

// The state file's transaction is what the cycle asks of one.
var _ reconcile.Tx = (*store.Tx)(nil)

// stateFile gives the cycle the state file's transactions.
type stateFile struct{ s *store.Store }

func (f stateFile) Update(fn func(reconcile.Tx) error) error {
	return f.s.Update(func(tx *store.Tx) error { return fn(tx) })
}

func (f stateFile) View(fn func(reconcile.Tx) error) error {
	return f.s.View(func(tx *store.Tx) error { return fn(tx) })
}
