package vault

// The plaintext inside vault.age, version 2 (version 1 is read as well).
// FORMAT.md documents it for people; this file and sections.go are its only
// implementation.
//
// It is laid out so that the native-messaging host, which starts afresh for
// every code, can find one account without decrypting or parsing the rest:
// age's STREAM format decrypts 64 KiB chunks independently, so a lookup
// touches the header, one bucket of the hash index and one record.
//
//	nidan-vault 2\n
//	accounts=N buckets=B index_bytes=X record_bytes=Y columns=name,issuer,… tombstone_bytes=T device_bytes=D\n
//	body:
//	  table       (B+1) offsets into the index, 8 hex digits each
//	  index       lines "kind\tkey\toffset\tlength\n", grouped by bucket
//	  records     one line per account: the columns' values, tab-separated
//	  tombstones  lines "kind\tname\tdeleted\n" (sections.go)
//	  devices     lines "name\trecipient\tmodified\n" (sections.go)
//
// Version 2 added the modified column and the last two sections, which the
// merge of copies written apart needs; a lookup never reads them.
//
// Index kinds: "n" for an account's name, "e" for its label in lowercase (the
// e-mail the extension matches). A key's bucket is FNV-1a(kind+key) mod B.
// Offsets in the table are relative to the start of the index; record
// offsets are relative to the start of the records.

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"strconv"
	"strings"

	"nidan.dev/nidan/otp"
)

const (
	magic   = "nidan-vault 2\n"
	magicV1 = "nidan-vault 1\n"
)

// maxHeader bounds the header line; a longer one is damage, not data.
const maxHeader = 4096

var columns = []string{"name", "issuer", "label", "marketplaces", "secret", "algorithm", "digits", "period", "phone_backup", "modified"}

// header is the second line: space-separated key=value pairs. Not JSON: the
// host reads it on every start, and encoding/json's first use costs ~0.1 ms
// of reflection setup, which the host otherwise never pays. Unknown keys are
// ignored, so a later version may add some.
type header struct {
	Accounts    int
	Buckets     int
	IndexBytes  int64
	RecordBytes int64
	Columns     []string
	// Version 2.
	TombstoneBytes int64
	DeviceBytes    int64
}

func (h header) String() string {
	return fmt.Sprintf("accounts=%d buckets=%d index_bytes=%d record_bytes=%d columns=%s tombstone_bytes=%d device_bytes=%d",
		h.Accounts, h.Buckets, h.IndexBytes, h.RecordBytes, strings.Join(h.Columns, ","), h.TombstoneBytes, h.DeviceBytes)
}

func parseHeader(line string, version int) (header, error) {
	var h header
	seen := map[string]bool{}
	for _, field := range strings.Fields(line) {
		k, v, ok := strings.Cut(field, "=")
		if !ok || seen[k] {
			return header{}, errors.New("a header field is malformed or repeated")
		}
		seen[k] = true
		var err error
		switch k {
		case "accounts":
			h.Accounts, err = strconv.Atoi(v)
		case "buckets":
			h.Buckets, err = strconv.Atoi(v)
		case "index_bytes":
			h.IndexBytes, err = strconv.ParseInt(v, 10, 64)
		case "record_bytes":
			h.RecordBytes, err = strconv.ParseInt(v, 10, 64)
		case "columns":
			h.Columns = strings.Split(v, ",")
		case "tombstone_bytes":
			h.TombstoneBytes, err = strconv.ParseInt(v, 10, 64)
		case "device_bytes":
			h.DeviceBytes, err = strconv.ParseInt(v, 10, 64)
		}
		if err != nil {
			return header{}, fmt.Errorf("header field %s is not a number", k)
		}
	}
	required := []string{"accounts", "buckets", "index_bytes", "record_bytes", "columns"}
	if version >= 2 {
		required = append(required, "tombstone_bytes", "device_bytes")
	}
	for _, k := range required {
		if !seen[k] {
			return header{}, fmt.Errorf("header field %s is missing", k)
		}
	}
	return h, nil
}

func bucketOf(kind byte, key string, buckets int) int {
	h := fnv.New64a()
	h.Write([]byte{kind})
	h.Write([]byte(key))
	return int(h.Sum64() % uint64(buckets))
}

func emailKey(label string) string { return strings.ToLower(label) }

// encode lays out accounts, with no history and no devices.
func encode(accounts []otp.Account) []byte {
	c := contents{accounts: make([]entry, len(accounts))}
	for i, a := range accounts {
		c.accounts[i] = entry{Account: a}
	}
	return c.encode()
}

// encode lays out the contents, accounts sorted by name, as a version 2
// plaintext.
func (c contents) encode() []byte {
	accounts := slices.Clone(c.accounts)
	slices.SortFunc(accounts, func(a, b entry) int { return strings.Compare(a.Name, b.Name) })

	var records bytes.Buffer
	type entry struct {
		kind     byte
		key      string
		off, len int
	}
	buckets := max(1, len(accounts)/2)
	index := make([][]entry, buckets)
	for _, a := range accounts {
		start := records.Len()
		phone := "0"
		if a.PhoneBackup {
			phone = "1"
		}
		fields := []string{a.Name, a.Issuer, a.Label, strings.Join(a.Marketplaces, ","), a.Secret.Base32(),
			string(a.Algorithm), strconv.Itoa(a.Digits), strconv.Itoa(a.Period), phone, strconv.FormatInt(a.modified, 10)}
		for i, f := range fields {
			if i > 0 {
				records.WriteByte('\t')
			}
			escaper.WriteString(&records, f)
		}
		records.WriteByte('\n')
		n := records.Len() - start
		keys := []entry{{'n', a.Name, start, n}}
		if a.Label != "" {
			keys = append(keys, entry{'e', emailKey(a.Label), start, n})
		}
		for _, e := range keys {
			b := bucketOf(e.kind, e.key, buckets)
			index[b] = append(index[b], e)
		}
	}

	var table, idx bytes.Buffer
	for _, bucket := range index {
		fmt.Fprintf(&table, "%08x", idx.Len())
		for _, e := range bucket {
			idx.WriteByte(e.kind)
			idx.WriteByte('\t')
			escaper.WriteString(&idx, e.key)
			fmt.Fprintf(&idx, "\t%d\t%d\n", e.off, e.len)
		}
	}
	fmt.Fprintf(&table, "%08x", idx.Len())

	tombs, devs := c.encodeTombstones(), c.encodeDevices()
	hdr := header{
		Accounts: len(accounts), Buckets: buckets,
		IndexBytes: int64(idx.Len()), RecordBytes: int64(records.Len()), Columns: columns,
		TombstoneBytes: int64(len(tombs)), DeviceBytes: int64(len(devs)),
	}
	var out bytes.Buffer
	out.WriteString(magic)
	out.WriteString(hdr.String())
	out.WriteByte('\n')
	out.Write(table.Bytes())
	out.Write(idx.Bytes())
	out.Write(records.Bytes())
	out.Write(tombs)
	out.Write(devs)
	return out.Bytes()
}

// plaintext reads a version 1 plaintext through an io.ReaderAt, reading only
// what each question needs.
type plaintext struct {
	r       io.ReaderAt
	size    int64
	hdr     header
	col     map[string]int // column name → position in a record
	table   int64          // absolute offsets of the sections
	index   int64
	records int64
	tombs   int64
	devices int64
}

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

func parsePlaintext(r io.ReaderAt, size int64) (*plaintext, error) {
	head := make([]byte, min(size, int64(len(magic)+maxHeader)))
	if _, err := r.ReadAt(head, 0); err != nil && err != io.EOF {
		return nil, corrupt("reading the header: %v", err)
	}
	version := 2
	rest, ok := bytes.CutPrefix(head, []byte(magic))
	if !ok {
		version = 1
		rest, ok = bytes.CutPrefix(head, []byte(magicV1))
	}
	if !ok {
		if bytes.HasPrefix(head, []byte("nidan-vault ")) {
			return nil, fmt.Errorf("%w: this vault was written by a newer nidan; upgrade nidan", ErrCorrupt)
		}
		return nil, corrupt("it does not start with %q", strings.TrimSpace(magic))
	}
	line, _, ok := bytes.Cut(rest, []byte("\n"))
	if !ok {
		return nil, corrupt("the header line is unterminated")
	}
	p := &plaintext{r: r, size: size, col: map[string]int{}}
	var err error
	if p.hdr, err = parseHeader(string(line), version); err != nil {
		return nil, corrupt("%v", err)
	}
	h := p.hdr
	p.table = int64(len(magic) + len(line) + 1)
	p.index = p.table + int64(h.Buckets+1)*8
	p.records = p.index + h.IndexBytes
	p.tombs = p.records + h.RecordBytes
	p.devices = p.tombs + h.TombstoneBytes
	if h.Accounts < 0 || h.Buckets < 1 || h.Buckets > max(1, h.Accounts) || h.IndexBytes < 0 || h.RecordBytes < 0 ||
		h.TombstoneBytes < 0 || h.DeviceBytes < 0 || p.devices+h.DeviceBytes != size {
		return nil, corrupt("the header does not match the vault's size")
	}
	for i, c := range h.Columns {
		p.col[c] = i
	}
	for _, c := range []string{"name", "secret"} {
		if _, ok := p.col[c]; !ok {
			return nil, corrupt("the %q column is missing", c)
		}
	}
	return p, nil
}

func (p *plaintext) read(off, n int64) ([]byte, error) {
	if off < 0 || n < 0 || off+n > p.size {
		return nil, corrupt("an offset points outside the vault")
	}
	buf := make([]byte, n)
	if _, err := p.r.ReadAt(buf, off); err != nil && !(err == io.EOF && off+n == p.size) {
		return nil, corrupt("reading at %d: %v", off, err)
	}
	return buf, nil
}

// lookup returns the accounts whose index key of the given kind equals key.
func (p *plaintext) lookup(kind byte, key string) ([]otp.Account, error) {
	if p.hdr.Accounts == 0 {
		return nil, nil
	}
	b := bucketOf(kind, key, p.hdr.Buckets)
	span, err := p.read(p.table+int64(b)*8, 16)
	if err != nil {
		return nil, err
	}
	start, err1 := strconv.ParseUint(string(span[:8]), 16, 63)
	end, err2 := strconv.ParseUint(string(span[8:]), 16, 63)
	if err1 != nil || err2 != nil || start > end || int64(end) > p.hdr.IndexBytes {
		return nil, corrupt("index bucket %d is damaged", b)
	}
	entries, err := p.read(p.index+int64(start), int64(end-start))
	if err != nil {
		return nil, err
	}
	var found []otp.Account
	for line := range bytes.Lines(entries) {
		f := strings.Split(strings.TrimSuffix(string(line), "\n"), "\t")
		if len(f) != 4 || len(f[0]) != 1 {
			return nil, corrupt("an index entry is damaged")
		}
		k, err := unescape(f[1])
		if err != nil {
			return nil, corrupt("an index key: %v", err)
		}
		if f[0][0] != kind || k != key {
			continue
		}
		off, err1 := strconv.ParseInt(f[2], 10, 64)
		n, err2 := strconv.ParseInt(f[3], 10, 64)
		if err1 != nil || err2 != nil || off < 0 || n < 1 || off+n > p.hdr.RecordBytes {
			return nil, corrupt("an index entry points outside the records")
		}
		rec, err := p.read(p.records+off, n)
		if err != nil {
			return nil, err
		}
		a, err := p.parseRecord(rec)
		if err != nil {
			return nil, err
		}
		found = append(found, a)
	}
	return found, nil
}

// all parses every record.
func (p *plaintext) all() ([]otp.Account, error) {
	recs, err := p.read(p.records, p.hdr.RecordBytes)
	if err != nil {
		return nil, err
	}
	accounts := make([]otp.Account, 0, p.hdr.Accounts)
	for line := range bytes.Lines(recs) {
		a, err := p.parseRecord(line)
		if err != nil {
			return nil, err
		}
		accounts = append(accounts, a)
	}
	if len(accounts) != p.hdr.Accounts {
		return nil, corrupt("the header counts %d accounts, the records hold %d", p.hdr.Accounts, len(accounts))
	}
	return accounts, nil
}

func (p *plaintext) parseRecord(line []byte) (otp.Account, error) {
	e, err := p.parseEntry(line)
	return e.Account, err
}

// parseEntry parses a record with its modification time (0 in version 1).
func (p *plaintext) parseEntry(line []byte) (entry, error) {
	s, ok := strings.CutSuffix(string(line), "\n")
	if !ok {
		return entry{}, corrupt("a record is unterminated")
	}
	raw := strings.Split(s, "\t")
	if len(raw) != len(p.hdr.Columns) {
		return entry{}, corrupt("a record has %d fields, want %d", len(raw), len(p.hdr.Columns))
	}
	field := func(name string) (string, error) {
		i, ok := p.col[name]
		if !ok {
			return "", nil
		}
		return unescape(raw[i])
	}
	var a otp.Account
	var v [10]string
	for i, c := range columns {
		var err error
		if v[i], err = field(c); err != nil {
			return entry{}, corrupt("a record's %s: %v", c, err)
		}
	}
	a.Name, a.Issuer, a.Label = v[0], v[1], v[2]
	if v[3] != "" {
		a.Marketplaces = strings.Split(v[3], ",")
	}
	secret, err := otp.ParseSecret(v[4])
	if err != nil {
		return entry{}, corrupt("the secret of %q: %v", a.Name, err)
	}
	a.Secret = secret
	a.Algorithm = otp.Algorithm(v[5])
	a.Digits, _ = strconv.Atoi(v[6])
	a.Period, _ = strconv.Atoi(v[7])
	a.PhoneBackup = v[8] == "1"
	if err := a.Validate(); err != nil {
		return entry{}, corrupt("account %q: %v", a.Name, err)
	}
	modified, _ := strconv.ParseInt(v[9], 10, 64)
	return entry{Account: a, modified: modified}, nil
}
