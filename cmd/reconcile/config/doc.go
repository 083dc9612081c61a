// Package config loads and validates woonexo's YAML configuration file.
//
// Loading happens in four steps:
//
//  1. The file is parsed; a syntax error stops here, with its line.
//
//  2. ${NAME} references in values are replaced by environment variables.
//     An unset variable is an error naming it; "$$" is a literal "$"; a
//     "$" followed by anything else stays as it is. Expansion happens on
//     the parsed values, never on the text, so a value from the
//     environment can contain any character (": ", "#", quotes, newlines)
//     without changing the document's structure. Keys and comments are not
//     expanded. Inside flow collections ({...} or [...]) quote the
//     reference: "${NAME}".
//
//  3. Every key is checked against the Config struct, as yaml.v3's
//     KnownFields(true) does but on the expanded document, so that an
//     unknown or misspelled key is reported with its line, its full path
//     and, when close enough, the key that was probably meant (FuzzLoad
//     checks that nothing KnownFields would refuse gets through). Every
//     value is checked against its type. Then gopkg.in/yaml.v3 decodes the
//     document over Default(), so an absent key keeps its default.
//
//  4. Validate checks every value and names the key and what is expected,
//     for example:
//
//     config.yaml:3: woocommerce.url: "http://shop.example" is not https; plain HTTP is only allowed for loopback
//
// Every problem of steps 2 to 4 is reported at once, one *FieldError per
// line (joined with errors.Join); a value that cannot be read (step 2, or a
// wrong type) prevents validation, an unknown key does not.
//
// Credentials have the type Secret, which prints "<secret>" through every
// printer (fmt, slog, JSON, YAML, text); Reveal returns the value for the
// HTTP client. Error messages never contain a credential: a value that came
// from the environment is shown as "the value of ${NAME}", never as itself.
//
// The keys, their defaults and their meaning are documented in
// config.example.yaml at the root of the repository.
package config
