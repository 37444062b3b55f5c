package cli

import (
	"errors"
	"fmt"
	"runtime"

	"nidan.dev/nidan/host/install"
	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/market"
	"nidan.dev/nidan/otp/vault"

	"nidan.dev/nidan/otp/backup"
	"nidan.dev/nidan/otp/importer"
	"nidan.dev/nidan/otp/migration"
	"nidan.dev/nidan/otp/qr"
	"nidan.dev/nidan/otp/recipient"
)

// importHint is hint for the errors of import, export, recipients, backup
// and restore.
func importHint(err error) string {
	switch {
	case errors.Is(err, qr.ErrUnreadableImage):
		return "give a PNG or JPEG screenshot (e.g. the screenshot tool's default format)"
	case errors.Is(err, qr.ErrNoQR):
		return "take a sharper screenshot with the whole QR code in it, or paste the key shown under \"Can't scan the barcode?\" into `nidan add NAME`"
	case errors.Is(err, importer.ErrNotOTP):
		return "use the QR code of Amazon's authenticator-app setup (Advanced Security Settings → Add new app), or a Google Authenticator export"
	case errors.Is(err, migration.ErrInvalid):
		return "export again from Google Authenticator (Transfer accounts → Export accounts) and copy or screenshot the whole QR code"
	case errors.Is(err, importer.ErrUnknownFormat):
		return "nidan import reads otpauth:// URIs one per line, Google Authenticator exports (text or QR screenshot), and unencrypted Aegis, 2FAS and Authenticator-extension JSON exports"
	case errors.Is(err, recipient.ErrPluginMissing):
		return "age plugins are separate programs (e.g. age-plugin-yubikey); install it, then run this again"
	case errors.Is(err, recipient.ErrInvalid):
		return "give a public key: `age-keygen -y KEYFILE` prints an age key's, an SSH key's is in its .pub file"
	case errors.Is(err, errNoSuchRecipient):
		return "`nidan recipients list` numbers the recipients; remove one by its number"
	case errors.Is(err, errNoBackupKey):
		return "add a backup key with `nidan recipients add age1…` (or an SSH or YubiKey recipient), or run `nidan backup FILE --passphrase`"
	case errors.Is(err, errNeedTerminal):
		return "run it in a terminal; the passphrase is never taken from arguments or a pipe"
	case errors.Is(err, errWeakPassphrase):
		return "choose a longer one, e.g. five or more random words, or back up to a key instead (`nidan help recipients`)"
	case errors.Is(err, errPassphraseMatch):
		return "type the same passphrase twice"
	case errors.Is(err, backup.ErrWrongPassphrase):
		return "type the passphrase chosen at `nidan backup`"
	case errors.Is(err, backup.ErrNoKey):
		return "pass the backup key's identity file: nidan restore FILE --identity KEYFILE"
	case errors.Is(err, backup.ErrNotBackup):
		return "restore reads files written by `nidan backup`; other authenticators' exports go through `nidan import`"
	case errors.Is(err, recipient.ErrBadIdentity):
		return "give the file that holds the backup key's private key (AGE-SECRET-KEY-1…, AGE-PLUGIN-…, or an SSH private key)"
	}
	return ""
}

// hint turns an error into the next step for the user, or "".
func hint(err error, c *ctx) string {
	if h := importHint(err); h != "" {
		return h
	}
	if h := nameHint(err, c); h != "" {
		return h
	}
	var perm *vault.PermissionError
	var unknownMarket *market.UnknownKeyError
	var notDevice *vault.NotDeviceError
	switch {
	case errors.As(err, &notDevice):
		return deviceHint(notDevice)
	case errors.As(err, &perm):
		return perm.Fix()
	case errors.As(err, &unknownMarket):
		return "marketplaces are given by key, e.g. --marketplace jp,us"
	case errors.Is(err, vault.ErrMissing):
		return "run `nidan init` to create the vault (NIDAN_HOME=" + c.home + ")"
	case errors.Is(err, vault.ErrExists):
		return "nidan is already set up here; `nidan list` shows its accounts. To start over, move the old files away first"
	case errors.Is(err, vault.ErrNoIdentity), errors.Is(err, vault.ErrBadIdentity), errors.Is(err, vault.ErrWrongIdentity):
		return "put back the identity file that belongs to this vault (from your backup) at " + c.store.Path(vault.IdentityFile)
	case errors.Is(err, vault.ErrCorrupt):
		return fmt.Sprintf("the previous version is kept: keep a copy of %s, then `cp %s %s`",
			c.store.Path(vault.VaultFile), c.store.Path(vault.BackupFile), c.store.Path(vault.VaultFile))
	case errors.Is(err, vault.ErrLocked):
		return "another nidan (the CLI or a browser) is writing the vault; try again"
	case errors.Is(err, vault.ErrUnknownDevice), errors.Is(err, vault.ErrDeviceExists),
		errors.Is(err, vault.ErrRemoveSelf), errors.Is(err, vault.ErrBadDevice):
		return devicesHint(err)
	case errors.Is(err, vault.ErrUnknownAccount):
		return "`nidan list` shows the accounts"
	case errors.Is(err, vault.ErrDuplicate):
		return "choose another name, or `nidan rename` the existing account"
	case errors.Is(err, vault.ErrDuplicateKey):
		return "this key is already in nidan under that name; `nidan list` shows it"
	case errors.Is(err, otp.ErrInvalidSecret):
		return "paste the key exactly as Amazon shows it under \"Can't scan the barcode?\" (groups of four letters and digits), or the whole otpauth:// URI"
	case errors.Is(err, errNoHostBinary):
		path, _ := hostBinary()
		return fmt.Sprintf("scripts/install.sh builds it; by hand, in the nidan checkout: go build -o %q ./host/nativehost", path)
	case errors.Is(err, install.ErrUserWritable):
		path, _ := hostBinary()
		return install.SystemHint(runtime.GOOS, path)
	case errors.Is(err, install.ErrNoBrowser):
		return "name the browser: nidan install --browser chrome (or chromium, edge, brave, vivaldi, firefox, librewolf, all)"
	case errors.Is(err, otp.ErrInvalidName):
		return "names are one line of at most 64 printable characters, e.g. shop-jp"
	}
	return ""
}
