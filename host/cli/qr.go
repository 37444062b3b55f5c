package cli

import (
	"fmt"
	"os"
	"strings"

	"nidan.dev/nidan/otp"
	"nidan.dev/nidan/otp/importer"
	"nidan.dev/nidan/otp/migration"
	"nidan.dev/nidan/otp/qr"
)

// readAddInput reads the account `nidan add` is given: from a QR code
// screenshot when qrFile is set, else what the user pastes — Amazon's key,
// an otpauth URI, or the text of a QR code (a Google Authenticator export
// of one account included).
func (c *ctx) readAddInput(qrFile string) (otp.Account, error) {
	if qrFile != "" {
		f, err := os.Open(qrFile)
		if missing := missingFile(qrFile, err); missing != nil {
			return otp.Account{}, missing
		} else if err != nil {
			return otp.Account{}, fmt.Errorf("%w: %w", qr.ErrUnreadableImage, err)
		}
		defer f.Close()
		text, err := qr.Decode(f)
		if err != nil {
			return otp.Account{}, fmt.Errorf("%s: %w", qrFile, err)
		}
		return importer.Single(text)
	}
	in, err := c.readSecretInput()
	if err != nil {
		return otp.Account{}, err
	}
	if strings.HasPrefix(strings.ToLower(in), migration.Scheme+":") {
		return importer.Single(in)
	}
	return otp.ParseInput(in)
}
