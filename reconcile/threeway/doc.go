// Package threeway is woonexo's pure three-way engine: snapshots of both
// sides, the links between them, the baselines both sides last agreed on,
// the policy and the current time go in; a Plan comes out. It does no I/O,
// reads no clock, logs nothing.
package threeway
