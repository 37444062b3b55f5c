package protocol

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/market"
	"nidan.dev/nidan/otp/vault"
)

// Enrolment from Amazon's setup page: the extension reads the key there and
// sends it once, in an enroll request. The host checks the request but never
// writes the vault itself: it runs the nidan CLI beside it (`nidan add
// --json`, the key on its stdin), so that there is one write path, and the
// host binary does not link the CLI's richer recipient parsers (SSH and
// plugin backup keys) that re-encrypting the vault needs.

// cliTimeout bounds a run of the CLI: longer than the vault's lock wait
// (15 s), so that a busy vault is reported as such rather than as a timeout.
const cliTimeout = 25 * time.Second

// maxCLIOutput caps what is read of the CLI's answer: one JSON object.
const maxCLIOutput = 64 << 10

// cliPath returns the nidan CLI to run; the tests point it at a built one.
var cliPath = func() (string, error) { return Sibling("nidan") }

// Sibling returns the path of the program called name (".exe" added on
// Windows) in the folder of the running program, symlinks resolved: nidan
// and nidan-host are installed side by side, so each finds the other there.
// When the host is nidan itself, Sibling("nidan") is its own path.
func Sibling(name string) (string, error) {
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		return "", fmt.Errorf("finding this program: %w", err)
	}
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	return filepath.Join(filepath.Dir(exe), name), nil
}

// cliAnswer is what `nidan add --json` prints: an account with its first
// code, or an error.
type cliAnswer struct {
	Account *struct {
		Name         string   `json:"name"`
		Issuer       string   `json:"issuer"`
		Label        string   `json:"label"`
		Marketplaces []string `json:"marketplaces"`
		PhoneBackup  bool     `json:"phone_backup"`
	} `json:"account"`
	Code      string `json:"code"`
	Period    int    `json:"period"`
	Remaining int    `json:"remaining"`
	Error     *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Account string `json:"account"`
	} `json:"error"`
}

// runCLI runs the nidan CLI with args and stdin and returns its stdout. A
// non-zero exit is not an error here when stdout holds an answer: `--json`
// answers failures on stdout. Its stderr goes to the log only when there is
// nothing else to go on; the CLI never prints a seed there.
func (s *server) runCLI(typ string, stdin string, args ...string) ([]byte, error) {
	path, err := cliPath()
	if err != nil {
		return nil, err
	}
	// The CLI replaces the vault, which Windows refuses while the host
	// holds it open.
	s.vault.release()
	ctx, cancel := context.WithTimeout(context.Background(), cliTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &limitedBuffer{buf: &stdout, left: maxCLIOutput}
	cmd.Stderr = &limitedBuffer{buf: &stderr, left: maxCLIOutput}
	err = cmd.Run()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("%s did not answer within %s", path, cliTimeout)
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return nil, fmt.Errorf("running %s: %w", path, err)
	}
	if err != nil && stdout.Len() == 0 {
		s.log.Warn().Str("type", typ).Str("stderr", cut(strings.TrimSpace(stderr.String()))).Msg("the nidan CLI failed")
		return nil, fmt.Errorf("%s %s: %w", path, args[0], err)
	}
	return stdout.Bytes(), nil
}

// limitedBuffer keeps at most left bytes and drops the rest, so that a
// misbehaving CLI cannot fill the host's memory.
type limitedBuffer struct {
	buf  *bytes.Buffer
	left int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	n := min(len(p), b.left)
	b.buf.Write(p[:n])
	b.left -= n
	return len(p), nil
}

// enrollTarget checks origin and returns its host, for enroll and
// phone_backup.
func enrollTarget(req request, out *outcome) (string, error) {
	if !req.hasOrigin {
		return "", badRequest(`"origin" is missing: name the origin of Amazon's setup page`)
	}
	out.origin = req.origin
	return originHost(req.origin)
}

func (s *server) enroll(req request, out *outcome) (result, error) {
	host, err := enrollTarget(req, out)
	if err != nil {
		return result{}, err
	}
	if req.secret == "" {
		return result{}, badRequest(`"secret" is missing: send the key Amazon's setup page shows`)
	}
	// Checked here too, so that a bad key costs no process; the message of
	// otp's errors never quotes the key.
	if _, err := otp.ParseSecret(req.secret); err != nil {
		return result{}, &Error{Code: codeBadSecret, Message: fmt.Sprintf("the key is not what Amazon shows: %v; open \"Can't scan the barcode?\" and try again", err)}
	}
	name := req.name
	if name == "" {
		name = req.email
	}
	if name == "" {
		return result{}, &Error{Code: codeNameRequired, Message: "no sign-in e-mail is known for this page; name the account"}
	}
	out.account = name
	if err := otp.ValidateName(name); err != nil {
		return result{}, &Error{Code: codeBadName, Message: fmt.Sprintf("%v; names are one line of at most 64 printable characters", err)}
	}
	args := []string{"add", "--json", "--marketplace=" + strings.Join(market.KeysOfHost(host), ",")}
	if req.email != "" {
		args = append(args, "--label="+req.email)
	}
	// After "--", a name is never read as a flag.
	args = append(args, "--", name)
	stdout, err := s.runCLI(req.typ, req.secret+"\n", args...)
	if err != nil {
		return result{}, err
	}
	var ans cliAnswer
	if err := json.Unmarshal(stdout, &ans); err != nil {
		return result{}, fmt.Errorf("nidan add answered something that is not JSON: %w", err)
	}
	if ans.Error != nil {
		return cliFailure(ans.Error.Code, ans.Error.Message, ans.Error.Account)
	}
	if ans.Account == nil {
		return result{}, errors.New("nidan add answered without an account")
	}
	a := otp.Account{Name: ans.Account.Name, Issuer: ans.Account.Issuer, Label: ans.Account.Label,
		Marketplaces: ans.Account.Marketplaces, PhoneBackup: ans.Account.PhoneBackup}
	fields := append(appendAccount(appendKey(nil, "account"), a, a.Hosts()), '}')
	return result{fields: appendCode(fields, codeFields{ans.Code, ans.Period, ans.Remaining})}, nil
}

// cliFailure maps a failure of `nidan add --json` to the protocol's.
func cliFailure(code, message, holder string) (result, error) {
	switch code {
	case "duplicate":
		// existing names the account holding the name or the key, and
		// duplicate says which of the two, so the extension can ask for
		// another name or say where the key is.
		what := "name"
		if strings.Contains(message, "secret") {
			what = "key"
		}
		fields := appendString(appendKey(nil, "existing"), holder)
		fields = appendString(appendKey(fields, "duplicate"), what)
		return result{fields: fields}, &Error{Code: codeDuplicate, Message: duplicateMessage(what, holder)}
	case "bad_secret":
		return result{}, &Error{Code: codeBadSecret, Message: message}
	case "bad_name":
		return result{}, &Error{Code: codeBadName, Message: message}
	case "bad_label":
		return result{}, badRequest(`"email" cannot be the account's label: ` + message)
	case "vault_missing":
		return result{}, vaultError(vault.ErrMissing)
	case "vault_unreadable":
		return result{}, &Error{Code: codeVaultUnreadable, Message: message + "; run `nidan doctor`"}
	case "locked":
		return result{}, &Error{Code: codeVaultBusy, Message: "another nidan is writing the vault; try again"}
	default:
		return result{}, fmt.Errorf("nidan add failed (%s): %s", code, message)
	}
}

func duplicateMessage(what, holder string) string {
	if what == "key" {
		return fmt.Sprintf("this key is already in nidan, as account %q: Amazon shows a new key each time an authenticator app is added, so this page's key was saved before", holder)
	}
	return fmt.Sprintf("nidan already has an account named %q; choose another name", holder)
}

// phoneBackup records the user's word that a phone holds the account's key
// too: `nidan edit NAME --phone-backup=true`. No secret is involved.
func (s *server) phoneBackup(req request, out *outcome) (result, error) {
	host, err := enrollTarget(req, out)
	if err != nil {
		return result{}, err
	}
	if req.account == "" {
		return result{}, badRequest(`"account" is missing: name the account the phone holds`)
	}
	out.account = req.account
	if !req.hasValue {
		return result{}, badRequest(`"value" is missing: true when a phone holds the key, else false`)
	}
	// The account must be one this page may speak for: bound to its host.
	if _, err := s.boundAccount(req.account, host); err != nil {
		return result{}, err
	}
	if _, err := s.runCLI(req.typ, "", "edit", "--phone-backup="+strconv.FormatBool(req.value), "--", req.account); err != nil {
		return result{}, err
	}
	a, err := s.boundAccount(req.account, host)
	if err != nil {
		return result{}, err
	}
	return result{fields: append(appendAccount(appendKey(nil, "account"), a, s.vault.hostsOf(a)), '}')}, nil
}

// boundAccount reads the named account from the vault, as it is now, and
// checks that it is bound to host.
func (s *server) boundAccount(name, host string) (otp.Account, error) {
	r, err := s.vault.reader()
	if err != nil {
		return otp.Account{}, err
	}
	a, err := r.Get(name)
	switch {
	case errors.Is(err, vault.ErrUnknownAccount):
		return otp.Account{}, &Error{Code: codeUnknownAccount, Message: fmt.Sprintf("nidan has no account named %s", quote(name))}
	case err != nil:
		return otp.Account{}, err
	case !a.BoundTo(host):
		return otp.Account{}, &Error{Code: codeUnknownAccount, Message: fmt.Sprintf("account %s is not bound to %s", quote(name), host)}
	}
	return a, nil
}
