package sharing

import (
	"errors"
	"testing"
	"time"
)

var (
	errBusy   = errors.New("busy")
	errDenied = errors.New("denied for good")
)

func TestRetry(t *testing.T) {
	tests := []struct {
		name     string
		results  []error // what op returns, attempt by attempt; nil after the last
		wait     time.Duration
		want     error
		attempts int
	}{
		{"first try", nil, time.Second, nil, 1},
		{"busy then free", []error{errBusy, errBusy, errBusy}, time.Second, nil, 4},
		{"a lasting error is not retried", []error{errDenied}, time.Second, errDenied, 1},
		{"busy past the wait", repeat(errBusy, 1000), 100 * time.Millisecond, errBusy, 0},
		{"no wait: one attempt", []error{errBusy}, 0, errBusy, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			attempts := 0
			var slept time.Duration
			op := func() error {
				attempts++
				if attempts <= len(tt.results) {
					return tt.results[attempts-1]
				}
				return nil
			}
			err := retry(tt.wait, op, func(err error) bool { return err == errBusy }, func(d time.Duration) { slept += d })
			if err != tt.want {
				t.Errorf("err %v, want %v", err, tt.want)
			}
			if tt.attempts > 0 && attempts != tt.attempts {
				t.Errorf("%d attempts, want %d", attempts, tt.attempts)
			}
			if slept > tt.wait+maxDelay {
				t.Errorf("slept %s, over the wait %s", slept, tt.wait)
			}
		})
	}
}

func repeat(err error, n int) []error {
	es := make([]error, n)
	for i := range es {
		es[i] = err
	}
	return es
}
