import { createApp } from 'vue';
import { createAppI18n } from '../shared/i18n';
import App from './app.vue';
import { createAppRouter } from './router';
import './styles.css';

createApp(App).use(createAppI18n()).use(createAppRouter()).mount('#app');
