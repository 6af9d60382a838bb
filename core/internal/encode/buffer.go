package encode

import "sync"

var linePool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// Buffer returns an empty pooled buffer to encode a line into; give it
// back with Release once the line is written.
func Buffer() *[]byte {
	bp := linePool.Get().(*[]byte)
	*bp = (*bp)[:0]
	return bp
}

// Release keeps line, which was encoded into bp, for a later Buffer,
// unless it grew huge: a rare huge line is not kept.
func Release(bp *[]byte, line []byte) {
	if cap(line) <= 64<<10 {
		*bp = line
		linePool.Put(bp)
	}
}
