// Command libfloor is the second baseline of scripts/bench.sh: the least a
// native-messaging host can do with the three libraries nidan must use
// (filippo.io/age, github.com/pquerna/otp, github.com/rs/zerolog). It reads
// one frame, parses the age identity in $NIDAN_HOME, decrypts the vault
// whole, makes one TOTP code for a fixed seed, answers, reads to the end of
// input as every host must, and appends one zerolog line to a log.
//
// It checks nothing: no caller, no origin, no file permissions, no account
// choice, no vault format. The distance from the minimal Go host
// (scripts/bench/echohost) to this program is what the libraries cost on a
// cold start (their package initialisation, age's X25519 work); the distance
// from here to nidan-host is what nidan adds.
//
// With -init-only it answers a fixed frame as echohost does, using none of
// the libraries: what is left over echohost is the cost of linking them,
// that is their package initialisation at every start.
package main

import (
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"time"

	"filippo.io/age"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/rs/zerolog"
)

// seed is the bench vault's seed (scripts/bench/roundtrip).
const seed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

func main() {
	home := os.Getenv("NIDAN_HOME")
	var head [4]byte
	if _, err := io.ReadFull(os.Stdin, head[:]); err != nil {
		os.Exit(1)
	}
	if _, err := io.ReadFull(os.Stdin, make([]byte, binary.NativeEndian.Uint32(head[:]))); err != nil {
		os.Exit(1)
	}
	if len(os.Args) > 1 && os.Args[1] == "-init-only" {
		answer([]byte(`{"ok":true,"protocol":1}`))
		return
	}
	idFile, err := os.Open(filepath.Join(home, "identity"))
	if err != nil {
		os.Exit(2)
	}
	ids, err := age.ParseIdentities(idFile)
	if err != nil {
		os.Exit(2)
	}
	f, err := os.Open(filepath.Join(home, "vault.age"))
	if err != nil {
		os.Exit(3)
	}
	fi, err := f.Stat()
	if err != nil {
		os.Exit(3)
	}
	plain, size, err := age.DecryptReaderAt(f, fi.Size(), ids...)
	if err != nil {
		os.Exit(3)
	}
	if _, err := plain.ReadAt(make([]byte, size), 0); err != nil && err != io.EOF {
		os.Exit(3)
	}
	code, err := totp.GenerateCodeCustom(seed, time.Now(), totp.ValidateOpts{
		Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		os.Exit(4)
	}
	answer([]byte(`{"ok":true,"protocol":1,"code":"` + code + `"}`))
	io.Copy(io.Discard, os.Stdin)
	logFile, err := os.OpenFile(filepath.Join(home, "libfloor.log"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		os.Exit(5)
	}
	log := zerolog.New(logFile).With().Timestamp().Logger()
	log.Info().Str("type", "code").Str("outcome", "ok").Send()
	logFile.Close()
}

func answer(msg []byte) {
	os.Stdout.Write(append(binary.NativeEndian.AppendUint32(nil, uint32(len(msg))), msg...))
}
