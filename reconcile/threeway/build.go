package threeway

// Build decides the plan that brings both sides of in back into agreement.
// It does no I/O and reads no clock.
func Build(in Input) Plan {
	b := newBuilder(in)
	return b.build()
}
