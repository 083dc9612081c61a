package threeway

type builder struct {
	in  Input
	idx *Index
}

func newBuilder(in Input) *builder {
	idx := in.Index
	if idx == nil {
		idx = NewIndex(in)
	}
	return &builder{in: in, idx: idx}
}

func (b *builder) build() Plan { return Plan{} }
