// Command release packs what scripts/release.sh has built: reproducible
// archives, the .deb and .rpm (nfpm), and the Homebrew formula. It lives in
// its own module so that nfpm and its dependencies stay out of nidan's
// go.mod; it reads nidan's own packages (manifests, host/install) through a
// replace directive, so the packages' manifests are the ones `nidan install`
// writes.
//
//	release archive OUT DIR                  DIR's tree as OUT (.tar.gz or .zip), under DIR's name
//	release flatzip OUT DIR                  DIR's files at the top of the zip OUT, .zip or .xpi (the stores' extension)
//	release package FORMAT ARCH VERSION BIN OUT   FORMAT deb or rpm; BIN holds nidan and nidan-host
//	release msitime MSI                      set the MSI's summary times to SOURCE_DATE_EPOCH (wixl writes now)
//	release rpmx RPM DEST                    unpack RPM's files into DEST (for the release lane)
//	release brew VERSION URL HOMEPAGE DIST OUT   the formula, with the checksums of DIST's archives served at URL
//
// Every file's time is SOURCE_DATE_EPOCH (required), owners are 0 and the
// order is sorted, so the same inputs give byte-identical outputs.
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "release:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New("no command (hint: archive, package or brew; see scripts/release/main.go)")
	}
	if args[0] == "rpmx" && len(args) == 3 {
		return expandRPM(args[1], args[2])
	}
	mtime, err := sourceDate()
	if err != nil {
		return err
	}
	switch cmd, args := args[0], args[1:]; {
	case cmd == "archive" && len(args) == 2:
		return packDir(args[0], args[1], filepath.Base(filepath.Clean(args[1])), mtime)
	case cmd == "flatzip" && len(args) == 2 && (strings.HasSuffix(args[0], ".zip") || strings.HasSuffix(args[0], ".xpi")):
		return packDir(args[0], args[1], "", mtime)
	case cmd == "package" && len(args) == 5:
		return buildPackage(pkgSpec{Format: args[0], Arch: args[1], Version: args[2], Bin: args[3], Out: args[4], MTime: mtime})
	case cmd == "msitime" && len(args) == 1:
		return fixMSITimes(args[0], mtime, time.Now())
	case cmd == "brew" && len(args) == 5:
		return writeFormula(args[0], args[1], args[2], args[3], args[4])
	}
	return fmt.Errorf("bad command line %q (hint: see the usage in scripts/release/main.go)", args)
}

// sourceDate reads SOURCE_DATE_EPOCH, the time every packed file gets.
func sourceDate() (time.Time, error) {
	s := os.Getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		return time.Time{}, errors.New("SOURCE_DATE_EPOCH is not set (hint: scripts/release.sh sets it from the commit's time)")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 315532800 { // zip cannot hold times before 1980
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not seconds since 1980 or later (hint: git log -1 --format=%%ct)", s)
	}
	return time.Unix(n, 0).UTC(), nil
}
