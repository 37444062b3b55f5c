// Package sharing rides out Windows' sharing violations: there a file that
// another process holds open cannot be replaced by rename, and a file being
// replaced cannot be opened, until the other side lets go. nidan's readers
// hold the vault for milliseconds, so such a failure is transient and worth
// retrying for a bounded time. Elsewhere nothing is transient and Retry runs
// its operation once.
package sharing

import "time"

// Time limits of Retry's callers. Writers retry under the vault lock, whose
// wait (15 s) bounds everyone queued behind them; readers give up sooner,
// since a real denial (a broken ACL) should not stall a browser for long.
const (
	WriteWait = 10 * time.Second
	ReadWait  = 2 * time.Second
)

// Retry runs op until it succeeds, fails with an error that is not a
// transient sharing violation, or wait has passed; it returns op's last
// error.
func Retry(wait time.Duration, op func() error) error {
	return retry(wait, op, Transient, time.Sleep)
}

// maxDelay caps the pause between attempts: short enough that a writer
// queued behind a reader's few-millisecond open barely notices it.
const maxDelay = 50 * time.Millisecond

func retry(wait time.Duration, op func() error, transient func(error) bool, sleep func(time.Duration)) error {
	delay := time.Millisecond
	for waited := time.Duration(0); ; waited += delay {
		err := op()
		if err == nil || !transient(err) || waited >= wait {
			return err
		}
		sleep(delay)
		delay = min(2*delay, maxDelay)
	}
}
