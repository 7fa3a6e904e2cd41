/** The import wizard's strings for real-world files; each app catalog includes them under `importOutcome`. */
export const importOutcomeZh = {
  headerRow: '表头在第 {{row}} 行',
  titleRows: '已跳过标题行 {{rows}}：{{text}}',
  totalsRows: '已跳过 {{count}} 个合计/空行',
  unchanged: '无变化',
  skipped: '已跳过',
  duplicates: '重复',
  warnings: '警告',
  report: '下载导入报告',
  reportHint: '报告按文件中的行号列出错误、重复行和警告（警告行已导入，但未保存有问题的值）。',
};

export const importOutcomeEn: typeof importOutcomeZh = {
  headerRow: 'Header on row {{row}}',
  titleRows: 'Skipped title rows {{rows}}: {{text}}',
  totalsRows: 'Skipped {{count}} totals or blank lines',
  unchanged: 'Unchanged',
  skipped: 'Skipped',
  duplicates: 'Duplicates',
  warnings: 'Warnings',
  report: 'Download import report',
  reportHint:
    "The report lists errors, duplicate rows and warnings by the file's own row numbers (rows with a warning were imported without the faulty value).",
};

export const importOutcomeEs: typeof importOutcomeZh = {
  headerRow: 'Encabezado en la fila {{row}}',
  titleRows: 'Filas de título omitidas {{rows}}: {{text}}',
  totalsRows: 'Se omitieron {{count}} líneas de totales o vacías',
  unchanged: 'Sin cambios',
  skipped: 'Omitidas',
  duplicates: 'Duplicadas',
  warnings: 'Avisos',
  report: 'Descargar informe de importación',
  reportHint:
    'El informe lista errores, filas duplicadas y avisos con los números de fila del propio archivo (las filas con aviso se importaron sin el valor erróneo).',
};

/** "1–2: 'XX门店会员登记表'" parts of the skipped-title note. */
export function titleRowsParts(lines: Array<{ row: number; reason: string; text: string }>) {
  const titles = lines.filter((l) => l.reason === 'title');
  if (!titles.length) return null;
  const first = titles[0].row;
  const last = titles[titles.length - 1].row;
  return {
    rows: first === last ? String(first) : `${first}–${last}`,
    text: titles
      .map((l) => l.text)
      .filter(Boolean)
      .map((x) => `'${x}'`)
      .join(', '),
  };
}
