package install

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"nidan.dev/nidan/manifests"
)

// Check is a doctor check the caller adds, such as "the vault opens". Run
// must not print; it returns its verdict.
type Check struct {
	Name     string
	Advisory bool // a failure is shown but does not fail the doctor
	Run      func() Result
}

// Result is the verdict of a Check.
type Result struct {
	OK     bool
	Detail string // what was found, shown either way
	Hint   string // how to fix a failure; may span lines
}

// Row is one line of the doctor's table.
type Row struct {
	Name     string
	Advisory bool
	Result
}

// DoctorReport is the doctor's table.
type DoctorReport struct {
	Rows []Row
}

// OK reports whether every required check passed: the doctor's exit status.
func (r DoctorReport) OK() bool {
	return !slices.ContainsFunc(r.Rows, func(row Row) bool { return !row.OK && !row.Advisory })
}

// Failed returns how many required checks failed.
func (r DoctorReport) Failed() int {
	n := 0
	for _, row := range r.Rows {
		if !row.OK && !row.Advisory {
			n++
		}
	}
	return n
}

// Print writes the table: ✓ or ✗, the check, what was found, and under each
// failure its hint; then a last line with the verdict.
func (r DoctorReport) Print(w io.Writer) error {
	width := 0
	for _, row := range r.Rows {
		width = max(width, utf8.RuneCountInString(row.label()))
	}
	var b strings.Builder
	for _, row := range r.Rows {
		mark := "✓"
		if !row.OK {
			mark = "✗"
		}
		label := row.label()
		fmt.Fprintf(&b, "%s %s%s  %s\n", mark, label, strings.Repeat(" ", width-utf8.RuneCountInString(label)), row.Detail)
		if !row.OK && row.Hint != "" {
			for i, line := range strings.Split(row.Hint, "\n") {
				prefix := "      "
				if i == 0 {
					prefix = "  hint: "
				}
				fmt.Fprintf(&b, "%s%s\n", prefix, line)
			}
		}
	}
	if n := r.Failed(); n > 0 {
		fmt.Fprintf(&b, "%d required check(s) failed\n", n)
	} else {
		b.WriteString("all required checks passed\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (row Row) label() string {
	if row.Advisory {
		return row.Name + " (advisory)"
	}
	return row.Name
}

// Doctor runs the caller's checks first, then for each browser (the ones
// named, else those found or installed for) checks that it will find and
// start this very nidan; then sandboxed browsers, then the clock. The error
// is only for bad options.
func Doctor(opts Options, extra ...Check) (DoctorReport, error) {
	var rep DoctorReport
	o, err := resolve(opts)
	if err != nil {
		return rep, err
	}
	for _, c := range extra {
		rep.Rows = append(rep.Rows, Row{Name: c.Name, Advisory: c.Advisory, Result: c.Run()})
	}
	browsers := o.named
	if o.Profile == "" && o.named == nil {
		if browsers, err = o.installedOrFound(); err != nil {
			return rep, err
		}
		if len(browsers) == 0 {
			rep.Rows = append(rep.Rows, Row{Name: "browsers", Result: Result{
				Detail: "none of " + strings.Join(Names(o.GOOS)[:len(o.table)], ", ") + " found",
				Hint:   "install a supported browser, or name yours: nidan install --browser NAME",
			}})
		}
	}
	targets, placeless := o.targets(browsers)
	for _, name := range placeless {
		rep.Rows = append(rep.Rows, Row{Name: name + ": manifest present", Result: Result{
			Detail: o.noSystemFolder(name), Hint: "run: nidan install --browser " + name}})
	}
	for _, t := range targets {
		rep.Rows = append(rep.Rows, o.checkTarget(t)...)
	}
	if o.Profile == "" {
		rep.Rows = append(rep.Rows, o.sandboxRows(o.named)...)
	}
	rep.Rows = append(rep.Rows, o.clockRow())
	return rep, nil
}

// installedOrFound returns the browsers found on the machine plus those the
// install record lists at this level, in table order.
func (o *resolved) installedOrFound() ([]Browser, error) {
	rec, err := loadRecord(o.recordPath())
	if err != nil {
		return nil, err
	}
	var picked []Browser
	for _, b := range o.table {
		recorded := slices.ContainsFunc(rec.Items, func(it item) bool {
			return it.System == o.System && it.Digest != "" && slices.Contains(it.Owners, b.Name)
		})
		if recorded || o.found(b) {
			picked = append(picked, b)
		}
	}
	return picked, nil
}

// installCommand is the command that fixes a browser's manifest.
func (o *resolved) installCommand(browser string) string {
	switch {
	case o.Profile != "":
		return "run: nidan install --profile " + o.Profile
	case o.System:
		return "run: nidan install --system --browser " + browser
	}
	return "run: nidan install --browser " + browser
}

// checkTarget checks, in the browser's order, each step from finding the
// manifest to starting this nidan; it stops at the first failure, since the
// later steps cannot be judged then.
func (o *resolved) checkTarget(t target) []Row {
	fix := o.installCommand(t.browser)
	var rows []Row
	step := func(name string, ok bool, detail, hint string) bool {
		r := Result{OK: ok, Detail: detail}
		if !ok {
			r.Hint = hint
		}
		rows = append(rows, Row{Name: t.browser + ": " + name, Result: r})
		return ok
	}
	file := t.file
	if t.key != "" {
		shown := hiveName(o.System) + `\` + t.key
		if o.Registry == nil {
			step("registry key", false, shown+": "+errNoRegistry.Error(), "run nidan doctor on Windows")
			return rows
		}
		v, err := o.Registry.Value(o.System, t.key)
		if !step("registry key", err == nil && v != "", shown+" → "+v, fix) {
			rows[len(rows)-1].Detail = shown + ": missing"
			return rows
		}
		file = v
	}
	shownFile := file
	if t.key == "" && !o.System && o.Profile == "" {
		if sys := o.systemFallback(t); sys != "" {
			file, shownFile = sys, sys+" (system-wide)"
		}
	}
	data, err := os.ReadFile(file)
	if !step("manifest present", err == nil, shownFile, fix) {
		rows[len(rows)-1].Detail = "missing: " + file
		return rows
	}
	m, err := manifests.Parse(data)
	if !step("manifest valid", err == nil, "JSON", fix) {
		rows[len(rows)-1].Detail = err.Error()
		return rows
	}
	allowed := strings.Join(manifests.Allowed(t.family), ", ")
	if err := m.CheckCallers(t.family); !step("allowed extension", err == nil, allowed, fix) {
		rows[len(rows)-1].Detail = err.Error()
		return rows
	}
	// Chromium and Firefox on Windows resolve a relative path against the
	// manifest's folder: the MSI's manifests say "nidan-host.exe", since
	// only Windows Installer knows the install folder.
	host := m.Path
	if o.GOOS == "windows" && host != "" && !isAbs(o.GOOS, host) {
		host = filepath.Join(filepath.Dir(file), host)
	}
	if !step("host path absolute", isAbs(o.GOOS, host), m.Path, fix) {
		return rows
	}
	info, err := os.Stat(host)
	if !step("host exists", err == nil && info.Mode().IsRegular(), host, fix) {
		rows[len(rows)-1].Detail = "no program at " + host
		return rows
	}
	if !step("host executable", o.executable(host, info), host, o.makeExecutable(host)) {
		rows[len(rows)-1].Detail = "not executable: " + host
		return rows
	}
	self, err := os.Stat(o.hostPath())
	if !step("host is this nidan's", err == nil && os.SameFile(info, self), m.Path,
		fix+"\n(or, if "+m.Path+" is the nidan you mean to use, run its own doctor)") {
		rows[len(rows)-1].Detail = m.Path + " is not this nidan (" + o.hostPath() + ")"
	}
	return rows
}

// systemFallback returns the machine-wide manifest the browser reads for t
// when the user-level one is missing: what a .deb or .rpm installs, so that
// such an install passes the per-user doctor. "" when the user-level file
// exists or no machine-wide one does.
func (o *resolved) systemFallback(t target) string {
	if _, err := os.Stat(t.file); err == nil {
		return ""
	}
	for _, b := range o.table {
		if b.Name != t.browser {
			continue
		}
		for _, d := range b.SystemDirs {
			if dir := o.expand(d); dir != "" {
				file := filepath.Join(dir, manifests.HostName+".json")
				if _, err := os.Stat(file); err == nil {
					return file
				}
			}
		}
	}
	return ""
}

func (o *resolved) executable(path string, info os.FileInfo) bool {
	if o.GOOS == "windows" {
		return slices.Contains([]string{".exe", ".bat", ".cmd"}, strings.ToLower(filepath.Ext(path)))
	}
	return info.Mode().Perm()&0o111 != 0
}

func (o *resolved) makeExecutable(path string) string {
	if o.GOOS == "windows" {
		return "the browser starts only .exe, .bat or .cmd programs: run nidan install again"
	}
	return "run: chmod +x " + shellQuote(path)
}

// shellQuote quotes s for a POSIX shell, so printed commands can be pasted.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+=:,@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
