package install

// A machine-wide install (--system) makes every user's browser start the
// program its manifests name. If any user could replace that program, that
// user could run code in every other user's browser session, vault and all.
// So the program must be one only an administrator can change:
//
//   - Linux and macOS: install refuses a program that is not owned by root,
//     or that lies in a folder (or under one) that anyone but root may
//     write, and says how to put it somewhere root owns (the .deb/.rpm put it
//     in /usr/bin; by hand, `sudo install` into /usr/local/bin). It does not
//     copy the program itself: a copy left in /usr/local/bin would go stale
//     when the user upgrades the nidan they run, and two nidans answering
//     one browser is a support question nobody can answer from the outside.
//   - Windows: --system needs an administrator anyway (HKLM), and
//     %ProgramFiles% is the place only administrators write, so install
//     copies the host and the CLI there, writes the machine-wide manifests
//     beside them in their own folder, and records the copies so that
//     uninstall --system removes them. Per-user manifests stay beside the
//     user's binary: neither level ever touches the other's files.

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"nidan.dev/nidan/otp/atomicfile"
)

// ErrUserWritable is returned by a --system install whose program a user
// other than root could replace.
var ErrUserWritable = errors.New("the program is in a place a user can change")

// cliName is the CLI the host runs beside itself (enrol, phone backup).
const cliName = "nidan"

// systemFolder is where a Windows --system install puts its copies, under
// %ProgramFiles%; its manifests go into a subfolder of it.
const (
	systemFolder    = "nidan"
	systemManifests = "NativeMessagingHosts"
)

// windowsSystem reports whether this is a machine-wide install on Windows,
// the one that copies the program.
func (o *resolved) windowsSystem() bool { return o.GOOS == "windows" && o.System && o.Profile == "" }

// programFiles is %ProgramFiles%\nidan.
func (o *resolved) programFiles() (string, error) {
	dir := o.Getenv("ProgramFiles")
	if dir == "" {
		return "", fmt.Errorf("%w: %%ProgramFiles%% is not set: a machine-wide install copies nidan there", ErrBadOptions)
	}
	return filepath.Join(dir, systemFolder), nil
}

// hostPath is the program the manifests name: the binary itself, or on
// Windows with --system its copy under %ProgramFiles%.
func (o *resolved) hostPath() string {
	if !o.windowsSystem() {
		return o.Binary
	}
	dir, err := o.programFiles()
	if err != nil {
		return o.Binary // resolve refused this already
	}
	return filepath.Join(dir, filepath.Base(o.Binary))
}

// manifestDir is the folder of the Windows manifests of this level.
func (o *resolved) manifestDir() string {
	if o.windowsSystem() {
		return filepath.Join(filepath.Dir(o.hostPath()), systemManifests)
	}
	return filepath.Dir(o.Binary)
}

// programs are the files a browser ends up running: the host, and the CLI
// beside it when there is one.
func (o *resolved) programs() []string {
	progs := []string{o.Binary}
	cli := filepath.Join(filepath.Dir(o.Binary), cliName+filepath.Ext(o.Binary))
	if cli != o.Binary {
		if fi, err := os.Stat(cli); err == nil && fi.Mode().IsRegular() {
			progs = append(progs, cli)
		}
	}
	return progs
}

// checkSystemPrograms refuses, on Linux and macOS, a --system install whose
// programs anyone but root could replace: each must be owned by root and
// not writable by group or others, and so must every folder above it (a
// writable folder lets its writer rename the program's folder away and put
// another in its place). A world-writable folder with the sticky bit, as
// /tmp, passes: there only an entry's owner may rename it.
func (o *resolved) checkSystemPrograms() error {
	if !o.System || o.GOOS == "windows" || o.Profile != "" {
		return nil
	}
	for _, prog := range o.programs() {
		real, err := filepath.EvalSymlinks(prog)
		if err != nil {
			return fmt.Errorf("check %s: %w", prog, err)
		}
		for p := real; ; p = filepath.Dir(p) {
			if err := o.checkRootOnly(p, p == real); err != nil {
				return fmt.Errorf("%w: %s: %w", ErrUserWritable, prog, err)
			}
			if p == o.top() || filepath.Dir(p) == p {
				break
			}
		}
	}
	return nil
}

// top is the last folder checkSystemPrograms climbs to: "/" on a real
// machine, Options.Root in tests.
func (o *resolved) top() string {
	if o.Root == "" {
		return string(filepath.Separator)
	}
	return filepath.Clean(o.Root)
}

func (o *resolved) checkRootOnly(path string, file bool) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	uid, ok := fileOwner(fi)
	switch {
	case !ok:
		return fmt.Errorf("cannot tell who owns %s", path)
	case uid != o.SystemOwner:
		return fmt.Errorf("%s is owned by user %d, not root", path, uid)
	case fi.Mode().Perm()&0o022 != 0 && (file || fi.Mode()&fs.ModeSticky == 0):
		return fmt.Errorf("%s is writable by its group or by everyone (%v)", path, fi.Mode())
	}
	return nil
}

// SystemHint says how to give --system a program only root can change; the
// CLI prints it under an ErrUserWritable error. binary is the host. On macOS
// the copy goes to /opt/nidan: Homebrew makes /usr/local/bin the user's own.
func SystemHint(goos, binary string) string {
	dir, pkg, mkdir := "/usr/local/bin", "install the .deb or .rpm package (it puts nidan in /usr/bin), or ", ""
	if goos == "darwin" {
		dir, pkg, mkdir = "/opt/nidan", "", "  sudo install -d -m 0755 /opt/nidan\n"
	}
	return "a machine-wide install needs nidan where only root can change it: " + pkg +
		"copy both programs as root into " + dir + ", then run that copy:\n" + mkdir +
		"  sudo install -m 0755 " + shellQuote(binary) + " " + shellQuote(filepath.Join(filepath.Dir(binary), cliName)) + " " + dir + "/\n" +
		"  sudo " + dir + "/" + cliName + " install --system\n" +
		"or install for yourself only, without --system"
}

// copyPrograms copies the host and the CLI into %ProgramFiles%\nidan for a
// Windows --system install, recording each copy for every browser so that
// the last browser's uninstall --system removes it.
func (o *resolved) copyPrograms(rec *record, rep *Report, browsers []string) error {
	dir, err := o.programFiles()
	if err != nil {
		return err
	}
	created, err := mkdirAll(dir)
	for _, d := range created {
		for _, b := range browsers {
			rec.add(item{Kind: kindDir, System: true, Path: d}, b)
		}
		rep.add(browsers[0], Created, "folder", d)
	}
	if err != nil {
		return err
	}
	for _, src := range o.programs() {
		data, err := os.ReadFile(src)
		if err != nil {
			return fmt.Errorf("read %s: %w", src, err)
		}
		dst := filepath.Join(dir, filepath.Base(src))
		change := Unchanged
		if old, err := os.ReadFile(dst); err != nil || !bytes.Equal(old, data) {
			if err := atomicfile.Write(dst, data, 0o755); err != nil {
				return fmt.Errorf("copy %s to %s: %w", src, dir, err)
			}
			change = Written
		}
		for _, b := range browsers {
			rec.add(item{Kind: kindProgram, System: true, Path: dst, Digest: digest(data)}, b)
		}
		rep.add(strings.Join(browsers, ","), change, "program", dst)
	}
	return nil
}
