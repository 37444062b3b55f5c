package qr

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"
	"testing"
)

const amazonURI = "otpauth://totp/Amazon:shop%40example.jp?secret=MFZWK3TFOJSXE33EMFZWK3TFOJSXE33EMFZWK3TFOJSXE33EMFZQ&issuer=Amazon"

func TestRoundTrip(t *testing.T) {
	texts := []string{
		amazonURI,
		"otpauth-migration://offline?data=" + strings.Repeat("CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZSABKAEwAhABGAEgAA%3D%3D", 3),
	}
	for _, text := range texts {
		for name, enc := range map[string]func(*bytes.Buffer, string) error{
			"png":  func(b *bytes.Buffer, s string) error { return PNG(b, s) },
			"jpeg": func(b *bytes.Buffer, s string) error { return JPEG(b, s) },
		} {
			var b bytes.Buffer
			if err := enc(&b, text); err != nil {
				t.Fatal(err)
			}
			got, err := Decode(&b)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got != text {
				t.Errorf("%s: decoded text differs", name)
			}
		}
	}
}

// TestScreenshot puts a small QR code in a larger page-like image, as a
// screenshot of Amazon's setup page would.
func TestScreenshot(t *testing.T) {
	code, err := Image(amazonURI, 3)
	if err != nil {
		t.Fatal(err)
	}
	page := image.NewRGBA(image.Rect(0, 0, 1280, 800))
	draw.Draw(page, page.Bounds(), image.NewUniform(color.RGBA{0xf0, 0xf2, 0xf2, 0xff}), image.Point{}, draw.Src)
	draw.Draw(page, image.Rect(100, 100, 900, 140), image.NewUniform(color.RGBA{0x23, 0x2f, 0x3e, 0xff}), image.Point{}, draw.Src)
	at := image.Pt(400, 300)
	draw.Draw(page, code.Bounds().Add(at), code, image.Point{}, draw.Src)
	var b bytes.Buffer
	if err := png.Encode(&b, page); err != nil {
		t.Fatal(err)
	}
	got, err := Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	if got != amazonURI {
		t.Error("decoded text differs")
	}
}

// TestTerminal reads the half blocks back into modules and decodes them.
func TestTerminal(t *testing.T) {
	for _, ansi := range []bool{false, true} {
		var b bytes.Buffer
		if err := Terminal(&b, amazonURI, ansi); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if ansi != strings.Contains(out, "\x1b[") {
			t.Errorf("ansi=%v but escapes present=%v", ansi, !ansi)
		}
		out = strings.NewReplacer("\x1b[97;40m", "", "\x1b[0m", "").Replace(out)
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		n := len([]rune(lines[0]))
		const scale = 6
		img := image.NewGray(image.Rect(0, 0, n*scale, 2*len(lines)*scale))
		for row, line := range lines {
			for col, r := range []rune(line) {
				top := r == '█' || r == '▀'
				bottom := r == '█' || r == '▄'
				for dy := range scale {
					for dx := range scale {
						img.SetGray(col*scale+dx, 2*row*scale+dy, gray(top))
						img.SetGray(col*scale+dx, (2*row+1)*scale+dy, gray(bottom))
					}
				}
			}
		}
		got, err := decodeImage(img)
		if err != nil {
			t.Fatalf("ansi=%v: %v", ansi, err)
		}
		if got != amazonURI {
			t.Error("decoded text differs")
		}
	}
}

func gray(light bool) color.Gray {
	if light {
		return color.Gray{Y: 0xff}
	}
	return color.Gray{}
}

func TestDecodeErrors(t *testing.T) {
	var blank bytes.Buffer
	png.Encode(&blank, image.NewGray(image.Rect(0, 0, 200, 200)))
	var good bytes.Buffer
	PNG(&good, amazonURI)
	var huge bytes.Buffer
	png.Encode(&huge, image.NewGray(image.Rect(0, 0, 10000, 5000)))
	for _, tc := range []struct {
		name string
		data []byte
		want error
		msg  string
	}{
		{"blank image", blank.Bytes(), ErrNoQR, "no QR code"},
		{"text file", []byte("otpauth://totp/x"), ErrUnreadableImage, "neither PNG nor JPEG"},
		{"empty", nil, ErrUnreadableImage, "neither PNG nor JPEG"},
		{"truncated png", good.Bytes()[:good.Len()/2], ErrUnreadableImage, "cannot be read"},
		{"png header only", []byte("\x89PNG\r\n\x1a\n"), ErrUnreadableImage, "cannot be read"},
		{"truncated jpeg", []byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10}, ErrUnreadableImage, "cannot be read"},
		{"too many pixels", huge.Bytes(), ErrUnreadableImage, "too large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(bytes.NewReader(tc.data))
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("got %v, want %v (%q)", err, tc.want, tc.msg)
			}
		})
	}
}

// TestManySizes: every size of code nidan may draw decodes, including the
// versions whose alignment pattern gozxing misplaces in one orientation.
func TestManySizes(t *testing.T) {
	texts := []string{
		// versions 11 and 17, which gozxing reads only once turned
		"otpauth://x?" + strings.Repeat("Ab3%", 54),
		"otpauth://x?" + strings.Repeat("Ab3%", 111),
	}
	for n := 20; n < 600; n += 37 {
		texts = append(texts, "otpauth://totp/x?"+strings.Repeat("Ab3%", n/4))
	}
	for _, text := range texts {
		var b bytes.Buffer
		if err := PNG(&b, text); err != nil {
			t.Fatal(err)
		}
		if got, err := Decode(&b); err != nil || got != text {
			t.Errorf("%d characters: %v", len(text), err)
		}
	}
}
