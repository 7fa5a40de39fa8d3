/// The page's inline style sheet and its one script, kept out of the markup code.
enum ReportStyle {
    /// Okabe & Ito's colour-blind-safe palette (blue, sky blue, vermillion) on grey; no web font, no `url()`,
    /// and an A4 print layout. Neither this nor ``script`` may hold `<` or `&`: the page is also well-formed XML.
    static let css = """
        :root{--blue:#0072B2;--sky:#56B4E9;--verm:#D55E00;--orange:#E69F00;--grey:#5f5f5f}
        *{box-sizing:border-box}
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;\
        color:#1a1a1a;margin:0 auto;max-width:1120px;padding:16px 24px}
        h1{font-size:1.6em;margin:.2em 0}
        h2{font-size:1.25em;border-bottom:2px solid var(--blue);padding-bottom:2px;margin-top:1.8em}
        h3{font-size:1.05em;margin:1.3em 0 .4em}
        .sub,.note{color:var(--grey)}
        .sub{margin:0;overflow-wrap:anywhere}
        nav a{margin-right:1.2em;color:var(--blue)}
        dl.run{display:grid;grid-template-columns:max-content 1fr;gap:3px 18px}
        dl.run dt{font-weight:600}
        dl.run dd{margin:0;overflow-wrap:anywhere}
        code{font:12px ui-monospace,Menlo,Consolas,monospace;background:#f2f2f2;padding:1px 3px;overflow-wrap:anywhere}
        .scroll{overflow-x:auto;max-width:100%}
        table{border-collapse:collapse;font-size:12px;font-variant-numeric:tabular-nums;margin:4px 0}
        th,td{padding:2px 7px;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap}
        th{background:#eef2f6;vertical-align:bottom}
        .t{text-align:left}
        td.t{max-width:22em;overflow:hidden;text-overflow:ellipsis}
        td.reason{max-width:none;white-space:normal;overflow-wrap:anywhere}
        table.sortable th{cursor:pointer;user-select:none}
        th[data-dir=asc]::after{content:" \\25B2"}
        th[data-dir=desc]::after{content:" \\25BC"}
        th.v{vertical-align:bottom;text-align:center;padding:4px 2px}
        th.v span{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;display:inline-block}
        #case-table td{padding:2px 4px}
        tr.worst td{background:#fbe2d2}
        tr.worst td:first-child{box-shadow:inset 4px 0 var(--verm)}
        td.low{color:var(--verm);font-weight:700;text-decoration:underline}
        .failed td{color:var(--verm)}
        svg.plot{max-width:100%;height:auto;display:block;font-family:inherit}
        .stripe{fill:#f4f4f4}
        .grid{stroke:#d9d9d9}
        .tick,.axis{font-size:11px;text-anchor:middle;fill:#444}
        .name{font-size:12px;text-anchor:end;fill:#1a1a1a}
        .count{font-size:10px;fill:var(--grey)}
        .whisker{stroke:#333;stroke-width:1}
        .box{fill:var(--sky);fill-opacity:.45;stroke:var(--blue);stroke-width:1}
        .median{stroke:#000;stroke-width:2.5}
        svg path{stroke:var(--blue);stroke-opacity:.5;stroke-width:4.5;stroke-linecap:round}
        svg path.w{stroke:var(--verm);stroke-opacity:1;stroke-width:7}
        .key{color:var(--grey);font-weight:400;font-size:.85em}
        .worst-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:0 28px}
        .worst-grid figure{grid-column:1/-1}
        .worst-grid td.t{max-width:13em}
        figure{margin:8px 0 14px;max-width:100%}
        figure img{max-width:100%;border:1px solid #bbb}
        figcaption{font-size:12px;color:var(--grey)}
        .swatch{display:inline-block;width:10px;height:10px;border-radius:50%;vertical-align:baseline;margin:0 3px}
        .swatch.case{background:var(--blue);opacity:.6}
        .swatch.worst{background:var(--verm);width:13px;height:13px}
        @page{size:A4;margin:12mm}
        @page wide{size:A4 landscape;margin:10mm}
        @media print{
        body{max-width:none;padding:0;font-size:9pt}
        nav{display:none}
        .scroll{overflow:visible}
        table{font-size:6.5pt}
        th,td{padding:1px 3px}
        table.sortable th{cursor:auto}
        h2,h3{break-after:avoid}
        .worst-grid{grid-template-columns:1fr 1fr}
        #cases,footer{page:wide}
        .ws{display:none}
        svg.plot,figure,tr,.structure{break-inside:avoid}
        *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
        }
        """

    /// Sorts a `table.sortable` by the clicked column, numbers before text (undefined `–` cells last either
    /// way), toggling ascending and descending.
    static let script = """
        document.querySelectorAll("table.sortable th").forEach(function (th) {
          th.addEventListener("click", function () {
            var table = th.closest("table"), body = table.tBodies[0], column = th.cellIndex;
            var sign = th.dataset.dir === "asc" ? -1 : 1;
            table.querySelectorAll("th").forEach(function (h) { delete h.dataset.dir; });
            th.dataset.dir = sign === 1 ? "asc" : "desc";
            var key = function (row) { var t = row.cells[column].textContent, n = Number(t); return isNaN(n) ? t : n; };
            Array.from(body.rows).map(function (row) { return [key(row), row]; }).sort(function (a, b) {
              if (typeof a[0] !== typeof b[0]) { return typeof a[0] === "number" ? -1 : 1; }
              return a[0] === b[0] ? 0 : (a[0] > b[0] ? sign : -sign);
            }).forEach(function (pair) { body.appendChild(pair[1]); });
          });
        });
        """
}
