package regfile

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The child half of TestNoPoller: it runs in a fresh process, so that no
// earlier test has started the runtime's poller, opens one file with the
// opener named by the environment and reports whether an epoll instance now
// exists.
func TestMain(m *testing.M) {
	if opener := os.Getenv("REGFILE_CHILD_OPEN"); opener != "" {
		open := Open
		if opener == "os" {
			open = os.Open
		}
		f, err := open(os.Args[0])
		if err != nil {
			os.Stdout.WriteString("error: " + err.Error())
			os.Exit(1)
		}
		defer f.Close()
		if hasEpoll() {
			os.Stdout.WriteString("epoll")
		} else {
			os.Stdout.WriteString("none")
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// hasEpoll lists the process's descriptors through regfile itself: os.Open
// (or filepath.Glob) of /proc/self/fd would start the poller it looks for.
func hasEpoll() bool {
	dir, err := Open("/proc/self/fd")
	if err != nil {
		return false
	}
	defer dir.Close()
	fds, _ := dir.Readdirnames(-1)
	for _, fd := range fds {
		if target, err := os.Readlink(filepath.Join("/proc/self/fd", fd)); err == nil && strings.Contains(target, "eventpoll") {
			return true
		}
	}
	return false
}

func childOpen(t *testing.T, opener string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "REGFILE_CHILD_OPEN="+opener)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child (%s): %v: %s", opener, err, out)
	}
	return string(out)
}

// TestNoPoller checks the point of the package: opening a regular file does
// not start the runtime's poller, where os.Open does.
func TestNoPoller(t *testing.T) {
	if got := childOpen(t, "os"); got != "epoll" {
		t.Skipf("os.Open left no epoll instance (%s): this Go no longer polls regular files, and regfile has nothing to avoid", got)
	}
	if got := childOpen(t, "regfile"); got != "none" {
		t.Fatalf("after regfile.Open: %s, want no epoll instance", got)
	}
}
