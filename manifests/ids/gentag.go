//go:build idsgen

package ids

// list is empty while gen.go runs (go generate builds with the idsgen tag):
// gen.go imports this package for Parse, and table.go, the file it is about
// to write, may be missing or no longer compile.
var list List
