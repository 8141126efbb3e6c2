/** Texts of the command-line interface. */
import type { Catalogue } from './types.js';

export const cliMessages: Catalogue = {
  en: {
    privacy: {
      reasons: {
        nameIdentifying: 'the name “{{name}}” suggests a direct identifier',
        nameQuasi: 'the name “{{name}}” suggests a quasi-identifier',
        nameSensitive: 'the name “{{name}}” suggests a sensitive attribute',
        shape: 'most values look like {{shape}}',
        unique: '{{percent}}% of the values are unique',
        default: 'no sign of personal data',
      },
    },
    cli: {
      importing: 'Importing {{file}}',
      imported: 'Imported {{rows}} rows × {{cols}} columns into dataset {{datasetId}}, version {{versionId}}',
      skipped: 'Skipped {{count}} bad rows',
      exported: 'Exported {{rows}} rows to {{file}}',
      serving: 'Xinzhi Workbench is running at {{url}}',
      servingHint: 'Open this URL in a browser. Press Ctrl+C to stop.',
      auditOk: 'Audit chain intact: {{entries}} entries; head hash {{head}}',
      auditBroken: 'Audit chain BROKEN at entry {{seq}} ({{entries}} entries)',
      noDatasets: 'No datasets yet. Import one with: xinzhi import FILE',
      cancelled: 'Cancelled.',
      anonymised: 'Anonymised into version {{versionId}}: {{rows}} rows, {{suppressed}} suppressed, levels {{node}}',
      riskChange: 'Highest re-identification risk (prosecutor): {{before}} → {{after}}',
      noSuchPseudonym: 'No such pseudonym in this column of the version.',
      trained: 'Trained model {{modelId}} on {{backend}} in {{seconds}} s: {{metrics}}',
      importanceHeader: 'Permutation importance (drop in {{metric}}):',
      contributionsHeader: 'Row {{row}}: base {{base}} → prediction {{prediction}} ({{method}})',
      compressed: 'Compressed into model {{modelId}}: {{size}} bytes (was {{original}}), predicts the test split in {{ms}} ms (was {{originalMs}} ms)',
      predicted: 'Scored {{rows}} rows into version {{versionId}} (columns prediction and score)',
    },
  },
  'zh-CN': {
    privacy: {
      reasons: {
        nameIdentifying: '列名“{{name}}”表明这是直接标识符',
        nameQuasi: '列名“{{name}}”表明这是准标识符',
        nameSensitive: '列名“{{name}}”表明这是敏感属性',
        shape: '多数值看起来是{{shape}}',
        unique: '{{percent}}% 的值互不相同',
        default: '未发现个人数据的迹象',
      },
    },
    cli: {
      importing: '正在导入 {{file}}',
      imported: '已导入 {{rows}} 行 × {{cols}} 列，数据集 {{datasetId}}，版本 {{versionId}}',
      skipped: '已跳过 {{count}} 个错误行',
      exported: '已导出 {{rows}} 行到 {{file}}',
      serving: '新质工作台已启动：{{url}}',
      servingHint: '请在浏览器中打开此网址。按 Ctrl+C 停止。',
      auditOk: '审计链完整：共 {{entries}} 条记录；链头哈希 {{head}}',
      auditBroken: '审计链在第 {{seq}} 条处被破坏（共 {{entries}} 条）',
      noDatasets: '还没有数据集。可用以下命令导入：xinzhi import FILE',
      cancelled: '已取消。',
      anonymised: '已匿名化为版本 {{versionId}}：{{rows}} 行，隐匿 {{suppressed}} 行，泛化层级 {{node}}',
      riskChange: '最高重识别风险（检察官模型）：{{before}} → {{after}}',
      noSuchPseudonym: '该版本此列中没有这个假名。',
      trained: '已在 {{backend}} 上训练模型 {{modelId}}，用时 {{seconds}} 秒：{{metrics}}',
      importanceHeader: '置换重要性（{{metric}} 的下降）：',
      contributionsHeader: '第 {{row}} 行：基准 {{base}} → 预测 {{prediction}}（{{method}}）',
      compressed: '已压缩为模型 {{modelId}}：{{size}} 字节（原 {{original}}），预测测试集用时 {{ms}} 毫秒（原 {{originalMs}} 毫秒）',
      predicted: '已为 {{rows}} 行评分，生成版本 {{versionId}}（新增 prediction 和 score 列）',
    },
  },
};
