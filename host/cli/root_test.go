package cli

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// TestEveryCommandExplained walks the command tree: every command nidan
// defines has a summary and examples (a subcommand may share its parent's),
// and every flag says what it does.
func TestEveryCommandExplained(t *testing.T) {
	c := &ctx{}
	root := c.rootCommand()
	var walk func(cmd *cobra.Command)
	walk = func(cmd *cobra.Command) {
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
		name := cmd.CommandPath()
		if cmd.Short == "" {
			t.Errorf("%s: no summary", name)
		}
		if cmd.Example == "" && (!cmd.HasParent() || cmd.Parent().Example == "" || cmd.Parent() == root) {
			t.Errorf("%s: no example", name)
		}
		if cmd.Example != "" && !strings.Contains(cmd.Example, name) {
			t.Errorf("%s: the examples do not run it", name)
		}
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if len(f.Usage) < 10 {
				t.Errorf("%s --%s: usage %q explains nothing", name, f.Name, f.Usage)
			}
		})
	}
	walk(root)
}
