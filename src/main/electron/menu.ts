/**
 * The application menu as a pure template (roles and accelerators, labels in Chinese or English); reload and
 * devtools exist only in development, so a packaged app cannot be reloaded into a half-state or inspected.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  platform: string;
  isDev: boolean;
  /** `app.getLocale()`; any `zh…` locale gets Chinese labels. */
  locale: string;
  appName: string;
}

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const zh = options.locale.toLowerCase().startsWith('zh');
  const t = (en: string, cn: string): string => (zh ? cn : en);
  const isMac = options.platform === 'darwin';
  const separator: MenuItemConstructorOptions = { type: 'separator' };
  // Top-level labels carry Alt-key mnemonics (&F) on Windows/Linux; macOS has none, so they are stripped there.
  const top = (en: string, cn: string): string => (isMac ? t(en, cn).replace(/\(&\w\)|&/g, '') : t(en, cn));

  const appMenu: MenuItemConstructorOptions[] = isMac
    ? [
        {
          label: options.appName,
          submenu: [
            { role: 'about', label: t(`About ${options.appName}`, `关于 ${options.appName}`) },
            separator,
            { role: 'services', label: t('Services', '服务') },
            separator,
            { role: 'hide', label: t(`Hide ${options.appName}`, `隐藏 ${options.appName}`) },
            { role: 'hideOthers', label: t('Hide Others', '隐藏其他') },
            { role: 'unhide', label: t('Show All', '全部显示') },
            separator,
            { role: 'quit', label: t(`Quit ${options.appName}`, `退出 ${options.appName}`) },
          ],
        },
      ]
    : [];

  const fileMenu: MenuItemConstructorOptions = {
    label: top('&File', '文件(&F)'),
    submenu: isMac
      ? [{ role: 'close', label: t('Close Window', '关闭窗口') }]
      : [
          { role: 'close', label: t('Close Window', '关闭窗口') },
          separator,
          { role: 'quit', label: t('Quit', '退出'), accelerator: 'Ctrl+Q' },
        ],
  };

  const editMenu: MenuItemConstructorOptions = {
    label: top('&Edit', '编辑(&E)'),
    submenu: [
      { role: 'undo', label: t('Undo', '撤销') },
      { role: 'redo', label: t('Redo', '重做') },
      separator,
      { role: 'cut', label: t('Cut', '剪切') },
      { role: 'copy', label: t('Copy', '复制') },
      { role: 'paste', label: t('Paste', '粘贴') },
      { role: 'delete', label: t('Delete', '删除') },
      separator,
      { role: 'selectAll', label: t('Select All', '全选') },
    ],
  };

  const devItems: MenuItemConstructorOptions[] = options.isDev
    ? [
        { role: 'reload', label: t('Reload', '重新加载') },
        { role: 'forceReload', label: t('Force Reload', '强制重新加载') },
        { role: 'toggleDevTools', label: t('Developer Tools', '开发者工具') },
        separator,
      ]
    : [];

  const viewMenu: MenuItemConstructorOptions = {
    label: top('&View', '视图(&V)'),
    submenu: [
      ...devItems,
      { role: 'resetZoom', label: t('Actual Size', '实际大小') },
      { role: 'zoomIn', label: t('Zoom In', '放大'), accelerator: 'CmdOrCtrl+=' },
      { role: 'zoomOut', label: t('Zoom Out', '缩小') },
      separator,
      { role: 'togglefullscreen', label: t('Toggle Full Screen', '全屏') },
    ],
  };

  const windowMenu: MenuItemConstructorOptions = {
    label: top('&Window', '窗口(&W)'),
    submenu: isMac
      ? [
          { role: 'minimize', label: t('Minimize', '最小化') },
          { role: 'zoom', label: t('Zoom', '缩放') },
          separator,
          { role: 'front', label: t('Bring All to Front', '前置全部窗口') },
        ]
      : [{ role: 'minimize', label: t('Minimize', '最小化') }],
  };

  const helpMenu: MenuItemConstructorOptions = {
    role: 'help',
    label: top('&Help', '帮助(&H)'),
    submenu: isMac ? [] : [{ role: 'about', label: t(`About ${options.appName}`, `关于 ${options.appName}`) }],
  };

  return [...appMenu, fileMenu, editMenu, viewMenu, windowMenu, helpMenu];
}
