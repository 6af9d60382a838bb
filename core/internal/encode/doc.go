// Package encode writes the parts of a mozlog line that every encoder of
// core shares: the JSON envelope and strings, the text format's values and
// time, the table of severities, and pooled line buffers. Package mozlog is
// the encoder; core's request.summary writer uses the same parts, so that
// both write the same bytes.
package encode
