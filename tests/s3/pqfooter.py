"""Read a Parquet file's footer, independently of ext/parquet.c, for
tests/s3/check.py: where each column chunk of each row group lies.

Written from the Parquet format's parquet.thrift (FileMetaData, RowGroup,
ColumnChunk, ColumnMetaData) and the Thrift compact protocol. Only what
the tests need is interpreted; every other field is skipped.

  chunks(path) -> (size, footer_start, [(group, column_name, start, nbytes)])
"""
import struct


class _Compact:
    def __init__(self, data):
        self.a, self.i = data, 0

    def byte(self):
        b = self.a[self.i]
        self.i += 1
        return b

    def varint(self):
        v, s = 0, 0
        while True:
            b = self.byte()
            v |= (b & 0x7f) << s
            s += 7
            if b < 0x80:
                return v

    def zigzag(self):
        v = self.varint()
        return (v >> 1) ^ -(v & 1)

    def value(self, t):
        if t in (1, 2):
            return t == 1
        if t == 3:
            return self.byte()
        if t in (4, 5, 6):
            return self.zigzag()
        if t == 7:
            self.i += 8
            return None
        if t == 8:
            n = self.varint()
            self.i += n
            return self.a[self.i - n:self.i]
        if t in (9, 10):
            h = self.byte()
            n, et = h >> 4, h & 15
            if n == 15:
                n = self.varint()
            if et in (1, 2):          # booleans in a list: one byte each
                return [self.byte() == 1 for _ in range(n)]
            return [self.value(et) for _ in range(n)]
        if t == 11:
            n = self.varint()
            if n:
                kv = self.byte()
                for _ in range(n):
                    self.value(kv >> 4)
                    self.value(kv & 15)
            return None
        if t == 12:
            return self.struct()
        raise ValueError('thrift type %d' % t)

    def struct(self):
        out, last = {}, 0
        while True:
            h = self.byte()
            if h == 0:
                return out
            d, t = h >> 4, h & 15
            fid = last + d if d else self.zigzag()
            last = fid
            out[fid] = self.value(t)


def chunks(path):
    data = open(path, 'rb').read()
    assert data[:4] == b'PAR1' and data[-4:] == b'PAR1'
    nfoot = struct.unpack('<I', data[-8:-4])[0]
    start = len(data) - 8 - nfoot
    meta = _Compact(data[start:len(data) - 8]).struct()
    out = []
    for g, rg in enumerate(meta[4]):
        for cc in rg[1]:
            md = cc[3]
            name = b'.'.join(md[3]).decode()
            data_off, dict_off = md[9], md.get(11)
            first = dict_off if dict_off and dict_off < data_off else data_off
            out.append((g, name, first, md[7]))
    return len(data), start, out
