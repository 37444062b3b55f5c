package vault

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
)

// countingReader counts the reads that reach it.
type countingReader struct {
	r     io.ReaderAt
	reads int
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	c.reads++
	return c.r.ReadAt(p, off)
}

func TestChunkReader(t *testing.T) {
	data := make([]byte, 3*chunkSize+123)
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range data {
		data[i] = byte(rng.UintN(256))
	}
	under := &countingReader{r: bytes.NewReader(data)}
	c := newChunkReader(under, int64(len(data)))
	for _, tt := range []struct{ off, n int }{
		{0, 10}, {5, 100}, {chunkSize - 3, 10}, {2*chunkSize + 7, chunkSize}, {len(data) - 5, 5}, {3 * chunkSize, 123},
	} {
		got := make([]byte, tt.n)
		if n, err := c.ReadAt(got, int64(tt.off)); n != tt.n || err != nil {
			t.Fatalf("ReadAt(%d, %d) = %d, %v", tt.off, tt.n, n, err)
		}
		if !bytes.Equal(got, data[tt.off:tt.off+tt.n]) {
			t.Fatalf("ReadAt(%d, %d) read the wrong bytes", tt.off, tt.n)
		}
	}
	if under.reads != 4 {
		t.Errorf("%d reads reached age for 4 chunks", under.reads)
	}
	if n, err := c.ReadAt(make([]byte, 10), int64(len(data)-5)); n != 5 || err != io.EOF {
		t.Errorf("read past the end = %d, %v", n, err)
	}
}
