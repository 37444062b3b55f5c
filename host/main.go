// Command nidan keeps TOTP seeds for Amazon two-step verification in an
// age-encrypted vault. Run by a person it is a command line (host/cli); run
// by a browser it is the native-messaging host (host/protocol), and then
// stdout carries protocol frames and nothing else.
package main

import (
	"os"

	"nidan.dev/nidan/host/cli"
	"nidan.dev/nidan/host/protocol"
)

func main() {
	os.Exit(run())
}

func run() int {
	args := os.Args[1:]
	if protocol.Invoked(args) {
		return protocol.Main(args, os.Stdin, os.Stdout, os.Stderr)
	}
	return cli.Main(args, cli.OSEnv())
}
