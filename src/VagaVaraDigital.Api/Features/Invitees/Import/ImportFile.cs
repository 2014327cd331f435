using System.Globalization;
using System.Text;
using MiniExcelLibs;

namespace VagaVaraDigital.Api.Features.Invitees.Import;

/// <summary>
/// An uploaded file on local disk (so memory does not grow with it), its format and — for CSV — its encoding
/// and delimiter, read as rows of strings (the first row is the header).
/// </summary>
public sealed class ImportFile : IAsyncDisposable
{
    static ImportFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    ImportFile(string path, string fileName, long length)
    {
        Path = path;
        FileName = fileName;
        Length = length;
    }

    public string Path { get; }
    public string FileName { get; }
    public long Length { get; }

    /// <summary>csv or xlsx.</summary>
    public string Format { get; private set; } = "csv";

    /// <summary>utf-8, utf-8-bom, utf-16le, utf-16be or windows-1252 (CSV only).</summary>
    public string? EncodingName { get; private set; }
    Encoding? _encoding;
    int _preamble;

    /// <summary>';', ',' or tab (CSV only).</summary>
    public char? Delimiter { get; private set; }

    /// <summary>Copies the upload to a temporary file, stopping (413) beyond <paramref name="maxBytes"/>.</summary>
    public static async Task<ImportFile> SaveAsync(Stream upload, string fileName, long maxBytes, CancellationToken ct)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"vvd-import-{Guid.NewGuid():N}.tmp");
        long total = 0;
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                var buffer = new byte[81920];
                int n;
                while ((n = await upload.ReadAsync(buffer, ct)) > 0)
                {
                    total += n;
                    if (total > maxBytes) throw new ImportTooLargeException();
                    await file.WriteAsync(buffer.AsMemory(0, n), ct);
                }
            }
            var imported = new ImportFile(path, fileName, total);
            imported.Detect();
            return imported;
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    void Detect()
    {
        if (Length == 0) throw new ImportFileException("empty_file", "Filen är tom.", "The file is empty.");
        var head = new byte[Math.Min(Length, 64 * 1024)];
        using (var f = File.OpenRead(Path)) f.ReadExactly(head);

        if (head is [0x50, 0x4B, 0x03, 0x04, ..])
        {
            Format = "xlsx";
            return;
        }
        if (head is [0xD0, 0xCF, 0x11, 0xE0, ..])
            throw new ImportFileException("xls_not_supported", "Gamla Excel-filer (.xls) stöds inte. Spara som .xlsx eller CSV.",
                "Old Excel files (.xls) are not supported. Save as .xlsx or CSV.");

        (_encoding, EncodingName, _preamble) = DetectEncoding(head);
        var text = _encoding.GetString(head, _preamble, head.Length - _preamble);
        if (LooksBinary(text))
            throw new ImportFileException("unreadable_file", "Filen går inte att läsa som CSV eller Excel (.xlsx).",
                "The file cannot be read as CSV or Excel (.xlsx).");
        Delimiter = DetectDelimiter(text);
    }

    (Encoding, string, int) DetectEncoding(byte[] head)
    {
        if (head is [0xEF, 0xBB, 0xBF, ..]) return (new UTF8Encoding(false), "utf-8-bom", 3);
        if (head is [0xFF, 0xFE, ..]) return (new UnicodeEncoding(false, false), "utf-16le", 2);
        if (head is [0xFE, 0xFF, ..]) return (new UnicodeEncoding(true, false), "utf-16be", 2);

        // UTF-16 without a byte order mark: ASCII text has a zero in every other byte
        int evenZeros = 0, oddZeros = 0;
        for (var i = 0; i + 1 < head.Length; i += 2)
        {
            if (head[i] == 0) evenZeros++;
            if (head[i + 1] == 0) oddZeros++;
        }
        var pairs = Math.Max(1, head.Length / 2);
        if (oddZeros > pairs * 0.3 && evenZeros < pairs * 0.05) return (new UnicodeEncoding(false, false), "utf-16le", 0);
        if (evenZeros > pairs * 0.3 && oddZeros < pairs * 0.05) return (new UnicodeEncoding(true, false), "utf-16be", 0);

        // UTF-8 when the whole file decodes strictly; otherwise Windows-1252 (Swedish Excel's "CSV")
        return IsValidUtf8() ? (new UTF8Encoding(false), "utf-8", 0) : (Encoding.GetEncoding(1252), "windows-1252", 0);
    }

    bool IsValidUtf8()
    {
        var decoder = new UTF8Encoding(false, true).GetDecoder();
        var bytes = new byte[81920];
        var chars = new char[81920 + 4];
        using var f = File.OpenRead(Path);
        int n;
        try
        {
            while ((n = f.Read(bytes, 0, bytes.Length)) > 0) decoder.GetChars(bytes, 0, n, chars, 0, flush: false);
            decoder.GetChars([], 0, 0, chars, 0, flush: true);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    static bool LooksBinary(string text)
    {
        if (text.Length == 0) return false;
        var control = 0;
        foreach (var c in text)
        {
            if (c == '\0') return true;
            if (char.IsControl(c) && c is not ('\t' or '\r' or '\n')) control++;
        }
        return control > Math.Max(2, text.Length / 100);
    }

    /// <summary>The delimiter that occurs most often outside quotes in the first line (the header).</summary>
    static char DetectDelimiter(string text)
    {
        int semicolons = 0, commas = 0, tabs = 0;
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"') quoted = !quoted;
            else if (!quoted && c is '\r' or '\n') break;
            else if (!quoted && c == ';') semicolons++;
            else if (!quoted && c == ',') commas++;
            else if (!quoted && c == '\t') tabs++;
        }
        if (tabs > semicolons && tabs > commas) return '\t';
        if (commas > semicolons) return ',';
        return semicolons > 0 || commas == 0 ? ';' : ',';
    }

    /// <summary>The rows, header first, each with its row number as a spreadsheet shows it (the header is row 1).</summary>
    public IEnumerable<(int Row, IReadOnlyList<string> Cells)> Rows() => Format == "xlsx" ? XlsxRows() : CsvRows();

    IEnumerable<(int, IReadOnlyList<string>)> CsvRows()
    {
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 65536);
        stream.Seek(_preamble, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, _encoding!, detectEncodingFromByteOrderMarks: false, bufferSize: 65536);
        var csv = new CsvRecordReader(reader, Delimiter!.Value);
        var fields = new List<string>();
        while (csv.Read(fields)) yield return (csv.RecordNumber, fields);
    }

    IEnumerable<(int, IReadOnlyList<string>)> XlsxRows()
    {
        IEnumerable<dynamic> rows;
        try
        {
            rows = MiniExcel.Query(Path, useHeaderRow: false, excelType: ExcelType.XLSX);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException or System.Xml.XmlException or NotSupportedException)
        {
            throw Unreadable();
        }
        using var enumerator = rows.GetEnumerator();
        var cells = new List<string>();
        var number = 0;
        while (true)
        {
            try
            {
                if (!enumerator.MoveNext()) break;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException or System.Xml.XmlException
                                          or NotSupportedException or KeyNotFoundException or FormatException or ArgumentException)
            {
                throw Unreadable();
            }
            number++;
            cells.Clear();
            foreach (var pair in (IDictionary<string, object?>)enumerator.Current)
            {
                cells.Add(pair.Value switch
                {
                    null => "",
                    string s => s,
                    double d => d.ToString("G15", CultureInfo.InvariantCulture),
                    DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    bool b => b ? "true" : "false",
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    var o => o.ToString() ?? "",
                });
            }
            yield return (number, cells);
        }
    }

    static ImportFileException Unreadable() => new("unreadable_file", "Excel-filen går inte att läsa. Spara den på nytt som .xlsx.",
        "The Excel file cannot be read. Save it again as .xlsx.");

    public ValueTask DisposeAsync()
    {
        try { File.Delete(Path); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}

/// <summary>The upload is larger than the limit (413).</summary>
public sealed class ImportTooLargeException() : Exception("The file is larger than the import limit.");
