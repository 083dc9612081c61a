package config

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// FieldError is one problem with the configuration: the key it concerns
// (dotted path, e.g. "woocommerce.url"; empty for a syntax error), the line
// of the file when known, and what is wrong or expected. It never contains
// a secret's value.
type FieldError struct {
	File string // set by LoadFile
	Line int    // 0 when unknown
	Key  string
	Msg  string
}

func (e *FieldError) Error() string {
	var b strings.Builder
	switch {
	case e.File != "" && e.Line > 0:
		fmt.Fprintf(&b, "%s:%d: ", e.File, e.Line)
	case e.File != "":
		fmt.Fprintf(&b, "%s: ", e.File)
	case e.Line > 0:
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// LoadFile reads the file at path and loads it as Load does; every
// FieldError carries the file name.
func LoadFile(path string, env func(string) (string, bool)) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cfg, err := Load(data, env)
	if err != nil {
		return nil, withFile(err, path)
	}
	return cfg, nil
}

func withFile(err error, path string) error {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		var fe *FieldError
		if errors.As(e, &fe) {
			fe.File = path
		}
	}
	return errors.Join(errs...)
}

// Load decodes a configuration file: ${ENV} references in values are
// expanded through env (an unset variable is an error; "$$" is a literal
// "$"), the values are decoded strictly over Default() (an unknown key is an
// error with its line), then Validate runs. All problems found are returned
// at once, joined, one *FieldError per line.
func Load(data []byte, env func(string) (string, bool)) (*Config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, syntaxError(err)
	}
	cfg := Default()
	if len(doc.Content) == 0 { // empty file: defaults only
		if err := cfg.Validate(); err != nil {
			return nil, err
		}
		return cfg, nil
	}
	root := doc.Content[0]
	d := &decoder{env: env, lines: map[string]int{}, expanded: map[*yaml.Node]string{}}
	d.expand(root, "")
	d.check(root, reflect.TypeFor[Config](), "")
	if d.badValues {
		return nil, errors.Join(d.errs...)
	}
	if err := root.Decode(cfg); err != nil {
		// check above mirrors the decoder; this is a backstop.
		return nil, syntaxError(err)
	}
	// With only unknown keys wrong, the values are still worth checking:
	// report everything at once.
	if err := errors.Join(append(d.errs, annotate(cfg.Validate(), d.lines)...)...); err != nil {
		return nil, err
	}
	return cfg, nil
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// syntaxError turns a yaml.v3 error into FieldErrors with their lines.
func syntaxError(err error) error {
	msgs := []string{err.Error()}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	var errs []error
	for _, m := range msgs {
		fe := &FieldError{Msg: strings.TrimPrefix(m, "yaml: ")}
		if s := yamlLine.FindStringSubmatch(m); s != nil {
			fe.Line, _ = strconv.Atoi(s[1])
			fe.Msg = s[2]
		}
		errs = append(errs, fe)
	}
	return errors.Join(errs...)
}

// annotate adds line numbers, from the decoded file, to Validate's errors
// and returns them as a list.
func annotate(err error, lines map[string]int) []error {
	if err == nil {
		return nil
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		var fe *FieldError
		if errors.As(e, &fe) && fe.Line == 0 {
			fe.Line = lines[fe.Key]
		}
	}
	return errs
}

// decoder expands and checks a parsed document before yaml.v3 decodes it.
type decoder struct {
	env      func(string) (string, bool)
	lines    map[string]int        // key path -> line
	expanded map[*yaml.Node]string // node -> the text it had before expansion
	errs     []error
	// badValues: a value could not be expanded or does not fit its type,
	// so the document cannot be decoded and validated.
	badValues bool
}

func (d *decoder) errorf(n *yaml.Node, key, format string, args ...any) {
	d.badValues = true
	d.errs = append(d.errs, &FieldError{Line: n.Line, Key: key, Msg: fmt.Sprintf(format, args...)})
}

// expand replaces ${NAME} in every scalar value (never in keys or
// comments). An expanded plain scalar is re-resolved, so "${PORT}" can fill
// an integer.
func (d *decoder) expand(n *yaml.Node, path string) {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for i, c := range n.Content {
			d.expand(c, fmt.Sprintf("%s[%d]", path, i))
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			d.expand(n.Content[i+1], join(path, n.Content[i].Value))
		}
	case yaml.ScalarNode:
		if !strings.Contains(n.Value, "$") {
			return
		}
		out, err := expandEnv(n.Value, d.env)
		if err != nil {
			d.errorf(n, path, "%v", err)
			return
		}
		if out != n.Value {
			d.expanded[n] = n.Value
			n.Value = out
			if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 && n.Tag == "!!str" {
				n.Tag = "" // let yaml resolve the expanded text
			}
		}
	}
}

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// expandEnv expands ${NAME} and "$$" in s; a lone "$" stays as it is.
func expandEnv(s string, env func(string) (string, bool)) (string, error) {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '$')
		if i < 0 || i == len(s)-1 {
			b.WriteString(s)
			return b.String(), nil
		}
		b.WriteString(s[:i])
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			s = s[i+2:]
		case '{':
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return "", errors.New(`unterminated "${" (write "$$" for a literal "$")`)
			}
			name := s[i+2 : i+end]
			if !envName.MatchString(name) {
				return "", fmt.Errorf("%q is not a valid environment variable name", name)
			}
			v, ok := env(name)
			if !ok {
				return "", fmt.Errorf("environment variable %s is not set", name)
			}
			b.WriteString(v)
			s = s[i+end+1:]
		default:
			b.WriteByte('$')
			s = s[i+1:]
		}
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

var durationType = reflect.TypeFor[time.Duration]()

// check walks n against t: unknown keys, wrong shapes and scalars that do
// not parse as their type become FieldErrors naming the key path.
func (d *decoder) check(n *yaml.Node, t reflect.Type, path string) {
	if path != "" {
		if _, seen := d.lines[path]; !seen {
			d.lines[path] = n.Line
		}
	}
	if n.Kind == yaml.AliasNode {
		d.errorf(n, path, "aliases are not supported")
		return
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			d.errorf(n, path, "expected a mapping of keys")
			return
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			ft, ok := fields[k.Value]
			if !ok {
				d.unknownKey(k, path, fields)
				continue
			}
			d.lines[join(path, k.Value)] = k.Line
			d.check(v, ft, join(path, k.Value))
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.errorf(n, path, "expected a mapping")
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				d.errorf(k, path, "expected text keys")
				continue
			}
			d.lines[join(path, k.Value)] = k.Line
			d.check(v, t.Elem(), join(path, k.Value))
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.errorf(n, path, "expected a list")
			return
		}
		for i, c := range n.Content {
			d.check(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
		}
	default:
		d.checkScalar(n, t, path)
	}
}

func (d *decoder) checkScalar(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, path, "expected a single value, not a %s", kindName(n.Kind))
		return
	}
	shown := strconv.Quote(n.Value)
	if orig, ok := d.expanded[n]; ok {
		shown = fmt.Sprintf("the value of %s", orig) // never print what the environment supplied
	}
	switch {
	case t == durationType:
		if _, err := time.ParseDuration(n.Value); err != nil {
			d.errorf(n, path, "%s is not a duration; expected e.g. 30s, 10m or 1h30m", shown)
		}
	case t.Kind() == reflect.Int:
		if n.ShortTag() != "!!int" {
			d.errorf(n, path, "%s is not a whole number", shown)
		}
	case t.Kind() == reflect.Bool:
		if n.ShortTag() != "!!bool" {
			d.errorf(n, path, "%s is not true or false", shown)
		}
	case t.Kind() == reflect.String:
		// any scalar reads as text
	}
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	}
	return "value"
}

// yamlFields returns the YAML keys of struct t (inline members flattened)
// and their types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if opts == "inline" {
			for k, v := range yamlFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

func (d *decoder) unknownKey(k *yaml.Node, path string, fields map[string]reflect.Type) {
	key := join(path, k.Value)
	best, bestDist := "", 3
	for name := range fields {
		if dist := editDistance(k.Value, name); dist < bestDist || (dist == bestDist && name < best) {
			best, bestDist = name, dist
		}
	}
	if best != "" {
		d.unknown(k, key, fmt.Sprintf("unknown key; did you mean %q?", best))
		return
	}
	names := slices.Sorted(maps.Keys(fields))
	where := "at the top level"
	if path != "" {
		where = "under " + path
	}
	d.unknown(k, key, fmt.Sprintf("unknown key; expected %s: %s", where, strings.Join(names, ", ")))
}

func (d *decoder) unknown(k *yaml.Node, key, msg string) {
	d.errs = append(d.errs, &FieldError{Line: k.Line, Key: key, Msg: msg})
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
