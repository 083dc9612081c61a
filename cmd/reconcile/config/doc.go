// Package config loads and validates woonexo's YAML configuration file.
//
// Loading happens in four steps, each reporting every problem it finds
// rather than stopping at the first:
//
//  1. The file is parsed (a syntax error gives its line).
//
//  2. ${NAME} references in values are replaced by environment variables.
//     An unset variable is an error naming it; "$$" is a literal "$"; a
//     "$" followed by anything else stays as it is. Expansion happens on
//     the parsed values, never on the text, so a value from the
//     environment can contain any character (": ", "#", quotes) without
//     changing the document's structure. Keys and comments are not
//     expanded.
//
//  3. Every key is checked against the Config struct (an unknown or
//     misspelled key is an error with its line and, when close enough, the
//     key that was probably meant), every value against its type, and the
//     document is decoded with gopkg.in/yaml.v3 over Default().
//
//  4. Validate checks every value and names the key and what is expected,
//     for example:
//
//     config.yaml:3: woocommerce.url: "http://shop.example" is not https; plain HTTP is only allowed for loopback
//
// Credentials have the type Secret, which prints "<secret>" through every
// printer (fmt, slog, JSON, YAML, text). Error messages never contain a
// secret: a value that came from the environment is shown as "the value of
// ${NAME}", never as itself.
//
// The keys, their defaults and their meaning are documented in
// config.example.yaml at the root of the repository.
package config
