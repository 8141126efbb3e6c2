/** The Clean tab: build and run a recipe on the selected version, or compare two versions. */
import { useState } from 'react';
import { SegmentedControl, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Version } from '../../../shared/model/catalog.js';
import { CompareView } from './compare-view.js';
import { RecipeBuilder } from './recipe-builder.js';

export function CleanPanel({ version, versions, onOpenVersion }: { version: Version; versions: Version[]; onOpenVersion: (versionId: string) => void }) {
  const { t } = useTranslation();
  const [view, setView] = useState<'recipe' | 'compare'>('recipe');
  return (
    <Stack gap="md" pb="xl">
      <SegmentedControl
        style={{ alignSelf: 'flex-start' }}
        data={[
          { value: 'recipe', label: t('ui.cleaning.views.recipe') },
          { value: 'compare', label: t('ui.cleaning.views.compare'), disabled: versions.length < 2 },
        ]}
        value={view}
        onChange={(v) => setView(v as 'recipe' | 'compare')}
        data-testid="clean-view"
      />
      {view === 'recipe' ? <RecipeBuilder version={version} versions={versions} onOpenVersion={onOpenVersion} /> : <CompareView versions={versions} initialB={version.id} />}
    </Stack>
  );
}
