package vault

import (
	"io"
	"sync"
)

// chunkSize is the plaintext size of an age STREAM chunk: the unit age
// decrypts and authenticates.
const chunkSize = 64 << 10

// maxCachedChunks bounds the cache (4 MiB); a long host session over a huge
// vault starts over rather than grow.
const maxCachedChunks = 64

// chunkReader serves small reads from whole plaintext chunks, decrypting
// each chunk once. age's DecryptReaderAt allocates a 64 KiB buffer on every
// ReadAt, even when it answers from its own one-chunk cache, and a lookup
// makes several small reads (header, bucket, index entries, record): on the
// host's cold path those allocations cost more than the decryption.
type chunkReader struct {
	r    io.ReaderAt
	size int64

	mu     sync.Mutex
	chunks map[int64][]byte
}

func newChunkReader(r io.ReaderAt, size int64) *chunkReader {
	return &chunkReader{r: r, size: size, chunks: map[int64][]byte{}}
}

func (c *chunkReader) ReadAt(p []byte, off int64) (int, error) {
	if len(p) > 2*chunkSize {
		return c.r.ReadAt(p, off) // a bulk read gains nothing from the cache
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for n < len(p) {
		pos := off + int64(n)
		if pos >= c.size {
			return n, io.EOF
		}
		i := pos / chunkSize
		chunk, err := c.chunk(i)
		if err != nil {
			return n, err
		}
		n += copy(p[n:], chunk[pos-i*chunkSize:])
	}
	return n, nil
}

func (c *chunkReader) chunk(i int64) ([]byte, error) {
	if b, ok := c.chunks[i]; ok {
		return b, nil
	}
	start := i * chunkSize
	b := make([]byte, min(chunkSize, c.size-start))
	if _, err := c.r.ReadAt(b, start); err != nil && err != io.EOF {
		return nil, err
	}
	if len(c.chunks) >= maxCachedChunks {
		clear(c.chunks)
	}
	c.chunks[i] = b
	return b, nil
}
