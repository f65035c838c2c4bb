/** Tags as coloured chips (the list, the reader); × takes one off where the person may. */
import { useTranslation } from 'react-i18next';

export interface ChipTag {
  id: number;
  name: string;
  color: string;
}

export function TagChips({ tags, onRemove }: { tags: ChipTag[]; onRemove?: (tag: ChipTag) => void }) {
  const { t } = useTranslation();
  if (tags.length === 0) return null;
  return (
    <span className="tag-chips">
      {tags.map((tag) => (
        <span
          key={tag.id}
          className="tag-chip"
          style={{ borderColor: tag.color, color: tag.color }}
          data-testid="tag-chip"
          title={tag.name}
        >
          <span className="tag-dot" style={{ background: tag.color }} aria-hidden="true" />
          {tag.name}
          {onRemove && (
            <button
              type="button"
              className="tag-remove"
              aria-label={t('work.tags.remove', { name: tag.name })}
              title={t('work.tags.remove', { name: tag.name })}
              onClick={() => onRemove(tag)}
            >
              ×
            </button>
          )}
        </span>
      ))}
    </span>
  );
}
