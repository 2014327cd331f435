using System.Text;

namespace VagaVaraDigital.Api.Features.Invitees.Import;

/// <summary>
/// RFC 4180 records from a text stream, block by block (memory does not grow with the file): quoted fields
/// with doubled quotes, delimiters and line breaks inside quotes, CRLF, LF or CR line ends. Lenient where
/// Excel is (a quote inside an unquoted field is text); strict where data would be lost (a quote left open
/// at the end of the file).
/// </summary>
public sealed class CsvRecordReader(TextReader reader, char delimiter, int maxFieldLength = 32_768)
{
    readonly char[] _buffer = new char[64 * 1024];
    int _pos, _len;
    bool _eof;
    readonly StringBuilder _field = new();

    /// <summary>The number of the record last read (1 = the first record, the header).</summary>
    public int RecordNumber { get; private set; }

    bool Fill()
    {
        if (_eof) return false;
        _len = reader.Read(_buffer, 0, _buffer.Length);
        _pos = 0;
        if (_len == 0) _eof = true;
        return _len > 0;
    }

    int Peek() => _pos < _len || Fill() ? _buffer[_pos] : -1;

    int Next() => _pos < _len || Fill() ? _buffer[_pos++] : -1;

    /// <summary>Reads the next record into <paramref name="fields"/>; false at the end of the file.</summary>
    public bool Read(List<string> fields)
    {
        fields.Clear();
        if (Peek() == -1) return false;
        RecordNumber++;
        var startRecord = RecordNumber;
        while (true)
        {
            _field.Clear();
            var c = Peek();
            if (c == '"')
            {
                Next();
                while (true)
                {
                    c = Next();
                    if (c == -1)
                        throw new ImportFileException("unbalanced_quotes",
                            $"Ett citattecken på rad {startRecord} avslutas aldrig. Kontrollera filen.",
                            $"A quote on row {startRecord} is never closed. Check the file.", startRecord);
                    if (c == '"')
                    {
                        if (Peek() == '"') { Next(); _field.Append('"'); continue; }
                        break;
                    }
                    _field.Append((char)c);
                    if (_field.Length > maxFieldLength) throw TooLong(startRecord);
                }
                // text after the closing quote up to the delimiter is kept (Excel does the same)
                while ((c = Peek()) != -1 && c != delimiter && c != '\r' && c != '\n')
                {
                    _field.Append((char)Next());
                    if (_field.Length > maxFieldLength) throw TooLong(startRecord);
                }
            }
            else
            {
                // fast path: scan the buffer for the end of the field
                while (true)
                {
                    if (_pos >= _len && !Fill()) break;
                    var start = _pos;
                    while (_pos < _len)
                    {
                        var ch = _buffer[_pos];
                        if (ch == delimiter || ch == '\r' || ch == '\n') break;
                        _pos++;
                    }
                    _field.Append(_buffer, start, _pos - start);
                    if (_field.Length > maxFieldLength) throw TooLong(startRecord);
                    if (_pos < _len) break;
                }
            }
            fields.Add(_field.ToString());
            c = Next();
            if (c == delimiter) continue;
            if (c == '\r' && Peek() == '\n') Next();
            return true; // end of line or of file
        }
    }

    static ImportFileException TooLong(int row) => new("field_too_long",
        $"Ett fält på rad {row} är orimligt långt – är filen en CSV-fil, och är alla citattecken parvisa?",
        $"A field on row {row} is unreasonably long – is this a CSV file, and are all quotes balanced?", row);
}
