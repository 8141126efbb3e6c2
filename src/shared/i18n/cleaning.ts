/** Texts of the cleaning area (recipes, version comparison, lineage) in zh-CN and en. */
import type { Catalogue } from './types.js';

export const cleaningMessages: Catalogue = {
  en: {
    ui: {
      operations: { clean: 'Cleaned' },
      jobs: { kind: { clean: 'Clean' } },
      audit: { actions: { version_clean: 'Version cleaned', recipe_save: 'Recipe saved', recipe_delete: 'Recipe deleted' } },
    },
    cli: {
      cleaning: {
        cleaned: 'Cleaned into version {{versionId}} (from {{parent}}): {{rows}} rows after {{steps}} step(s)',
        step: '  {{op}}: {{before}} → {{after}} rows, {{cells}} cells changed',
        saved: 'Saved recipe “{{name}}” ({{id}})',
        diffRows: 'Rows: {{a}} → {{b}}',
        diffSchema: 'Columns added: {{added}}; removed: {{removed}}; retyped: {{retyped}}; renamed: {{renamed}}',
        diffCells: 'Changed cells: {{changed}} of {{compared}} compared (rows matched by {{alignment}})',
      },
    },
  },
  'zh-CN': {
    ui: {
      operations: { clean: '清洗' },
      jobs: { kind: { clean: '清洗' } },
      audit: { actions: { version_clean: '清洗生成版本', recipe_save: '保存清洗配方', recipe_delete: '删除清洗配方' } },
    },
    cli: {
      cleaning: {
        cleaned: '已清洗为版本 {{versionId}}（来自 {{parent}}）：{{steps}} 个步骤后共 {{rows}} 行',
        step: '  {{op}}：{{before}} → {{after}} 行，修改 {{cells}} 个单元格',
        saved: '已保存配方“{{name}}”（{{id}}）',
        diffRows: '行数：{{a}} → {{b}}',
        diffSchema: '新增列：{{added}}；删除列：{{removed}}；类型变化：{{retyped}}；重命名：{{renamed}}',
        diffCells: '变化的单元格：{{changed}} / {{compared}}（按 {{alignment}} 对齐行）',
      },
    },
  },
};
