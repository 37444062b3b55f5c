// Package qr reads QR codes from screenshots (Amazon's setup page, Google
// Authenticator's export) and draws them for a phone to scan: as a PNG, or
// in the terminal with half-block characters.
//
// Decoding uses github.com/makiuchi-d/gozxing, a port of ZXing; encoding uses
// github.com/boombuler/barcode, which github.com/pquerna/otp already brings.
package qr

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"

	"github.com/boombuler/barcode"
	bqr "github.com/boombuler/barcode/qr"
	"github.com/makiuchi-d/gozxing"
	zqr "github.com/makiuchi-d/gozxing/qrcode"
)

// Errors matched with errors.Is. None quotes what a code holds: it may be a
// secret.
var (
	ErrUnreadableImage = errors.New("the image cannot be read")
	ErrNoQR            = errors.New("no QR code was found in the image")
)

// Limits against a decompression bomb: a screenshot of a 4K screen is 8.3
// megapixels.
const (
	maxImageBytes  = 32 << 20
	maxImagePixels = 40_000_000
)

// Decode reads a PNG or JPEG image and returns the text of the QR code in it.
func Decode(r io.Reader) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxImageBytes+1))
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrUnreadableImage, err)
	}
	if len(data) > maxImageBytes {
		return "", fmt.Errorf("%w: it is over %d MiB", ErrUnreadableImage, maxImageBytes>>20)
	}
	if !IsImage(data) {
		return "", fmt.Errorf("%w: it is neither PNG nor JPEG", ErrUnreadableImage)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrUnreadableImage, err)
	}
	if cfg.Width*cfg.Height > maxImagePixels {
		return "", fmt.Errorf("%w: %d×%d pixels is too large", ErrUnreadableImage, cfg.Width, cfg.Height)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrUnreadableImage, err)
	}
	return decodeImage(img)
}

// IsImage reports whether data starts like a PNG or a JPEG file.
func IsImage(data []byte) bool {
	return bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) || bytes.HasPrefix(data, []byte{0xff, 0xd8, 0xff})
}

func decodeImage(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrUnreadableImage, err)
	}
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
	// gozxing's detector misplaces the alignment pattern of some codes in
	// one orientation and reads them in another (seen with versions 11 and
	// 17): try all four before giving up.
	seen := false
	for turn := 0; turn < 4; turn++ {
		if turn > 0 {
			if bmp, err = bmp.RotateCounterClockwise(); err != nil {
				break
			}
		}
		res, err := zqr.NewQRCodeReader().Decode(bmp, hints)
		if err == nil {
			return res.GetText(), nil
		}
		var notFound gozxing.NotFoundException
		seen = seen || !errors.As(err, &notFound)
	}
	if seen {
		// gozxing's own messages name Java exception classes; say what it
		// means instead.
		return "", fmt.Errorf("%w: a code was seen but could not be read (blurred, cut off or too small?)", ErrNoQR)
	}
	return "", ErrNoQR
}

// quietZone is the blank margin, in modules, that the QR standard asks for
// around a code so that scanners find its edges.
const quietZone = 4

// modules encodes text as a QR code with medium error correction.
func modules(text string) (barcode.Barcode, error) {
	code, err := bqr.Encode(text, bqr.M, bqr.Auto)
	if err != nil {
		return nil, fmt.Errorf("encoding the QR code: %w", err)
	}
	return code, nil
}

// dark reports whether the module at (x, y), in quiet-zone coordinates, is
// dark.
func dark(code barcode.Barcode, x, y int) bool {
	x, y = x-quietZone, y-quietZone
	b := code.Bounds()
	if x < 0 || y < 0 || x >= b.Dx() || y >= b.Dy() {
		return false
	}
	r, _, _, _ := code.At(b.Min.X+x, b.Min.Y+y).RGBA()
	return r < 0x8000
}

// Image draws text as a QR code, scale pixels per module, with the quiet
// zone.
func Image(text string, scale int) (image.Image, error) {
	code, err := modules(text)
	if err != nil {
		return nil, err
	}
	n := code.Bounds().Dx() + 2*quietZone
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for y := range n * scale {
		for x := range n * scale {
			c := color.Gray{Y: 0xff}
			if dark(code, x/scale, y/scale) {
				c.Y = 0
			}
			img.SetGray(x, y, c)
		}
	}
	return img, nil
}

// PNG writes text as a QR code in a PNG image, 8 pixels per module.
func PNG(w io.Writer, text string) error {
	img, err := Image(text, 8)
	if err != nil {
		return err
	}
	return png.Encode(w, img)
}

// JPEG is PNG's lossy twin; tests use it to check that screenshots saved
// as JPEG decode.
func JPEG(w io.Writer, text string) error {
	img, err := Image(text, 8)
	if err != nil {
		return err
	}
	return jpeg.Encode(w, img, &jpeg.Options{Quality: 85})
}

// Terminal draws text as a QR code with half-block characters, two module
// rows per line. Light modules are drawn and dark ones left blank, so with
// ansi the colours are forced (bright white on black) to look right on a
// light terminal theme too; without it the terminal must be dark.
func Terminal(w io.Writer, text string, ansi bool) error {
	code, err := modules(text)
	if err != nil {
		return err
	}
	n := code.Bounds().Dx() + 2*quietZone
	bw := bufio.NewWriter(w)
	for y := 0; y < n; y += 2 {
		if ansi {
			bw.WriteString("\x1b[97;40m")
		}
		for x := range n {
			top, bottom := !dark(code, x, y), y+1 < n && !dark(code, x, y+1)
			bw.WriteString(halfBlock(top, bottom))
		}
		if ansi {
			bw.WriteString("\x1b[0m")
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

func halfBlock(top, bottom bool) string {
	switch {
	case top && bottom:
		return "█"
	case top:
		return "▀"
	case bottom:
		return "▄"
	}
	return " "
}
