package install

import "strings"

// clockRow prints the time and zone the codes are computed from, and warns
// when the system says its clock is not synchronised: a skewed clock is the
// first reason Amazon rejects a TOTP code. Only Linux's timedatectl is asked;
// where it is missing or cannot answer (no systemd) the row stays quiet.
func (o *resolved) clockRow() Row {
	now := o.Now()
	row := Row{Name: "clock", Advisory: true, Result: Result{OK: true, Detail: now.Format("2006-01-02 15:04:05 MST (UTC-07:00)")}}
	if o.GOOS != "linux" {
		return row
	}
	out, err := o.Command("timedatectl", "show", "-p", "NTPSynchronized", "--value")
	if err != nil {
		return row
	}
	switch strings.TrimSpace(string(out)) {
	case "yes":
		row.Detail += ", synchronised"
	case "no":
		row.OK = false
		row.Detail += ", not synchronised (timedatectl: NTPSynchronized=no)"
		row.Hint = "Amazon rejects codes from a clock more than about 30 s off: run sudo timedatectl set-ntp true,\n" +
			"then check timedatectl status says \"System clock synchronized: yes\""
	}
	return row
}
