import { onBeforeUnmount, onMounted, ref } from 'vue';

function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/**
 * Lets files be dropped anywhere on the page. `dragging` is true while files are held over the
 * window (a counter, because dragenter/dragleave fire for every child element crossed).
 */
export function useFileDrop(onFiles: (files: File[]) => void) {
  const dragging = ref(false);
  let depth = 0;

  function onDragEnter(event: DragEvent): void {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    depth += 1;
    dragging.value = true;
  }

  function onDragOver(event: DragEvent): void {
    if (!carriesFiles(event)) return;
    // Without this the browser would not allow the drop (and would open the file instead).
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  }

  function onDragLeave(event: DragEvent): void {
    if (!carriesFiles(event)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) dragging.value = false;
  }

  function onDrop(event: DragEvent): void {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    depth = 0;
    dragging.value = false;
    const files = Array.from(event.dataTransfer?.files ?? []);
    if (files.length > 0) onFiles(files);
  }

  onMounted(() => {
    window.addEventListener('dragenter', onDragEnter);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('drop', onDrop);
  });

  onBeforeUnmount(() => {
    window.removeEventListener('dragenter', onDragEnter);
    window.removeEventListener('dragover', onDragOver);
    window.removeEventListener('dragleave', onDragLeave);
    window.removeEventListener('drop', onDrop);
  });

  return { dragging };
}
